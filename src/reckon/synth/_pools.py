"""Name, region, rank and unit pools for the synthetic generator.

Why a curated table at all: Faker's ``ru_RU`` given-name list is alphabetical and full of
archaic names (Аверкий, Ферапонт) drawn uniformly, which would make every name rare and the
linker's job unrealistically easy. The common names below carry rough popularity weights for
men born 1960-2005 (our judgement of their order, not measured frequencies); Faker's lists
supply the long tail with a small weight. Surnames come from Faker ``ru_RU`` (ordered by
frequency) and ``uk_UA`` (respelt as Russian documents write them), patronymic-style surnames
formed from common given names (Никитин, Антонов), and a tail formed from the stems of the
common ones with the other usual endings (Попов -> Попенко, Попский).

Region weights only resemble the published shape of such lists (many deaths from poorer
regions and national republics, few from Moscow); they are not data. Nothing here names a real
person: every person is a random combination drawn from these pools.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import numpy as np
from faker.providers.person.ru_RU import Provider as _Ru
from faker.providers.person.uk_UA import Provider as _Uk

from reckon.synth._surnames import tail_surnames

# Given names of men: (Russian form, Ukrainian form, weight).
GIVEN_M: tuple[tuple[str, str, float], ...] = (
    ("Александр", "Олександр", 10.0),
    ("Сергей", "Сергій", 8.0),
    ("Дмитрий", "Дмитро", 7.0),
    ("Андрей", "Андрій", 6.5),
    ("Алексей", "Олексій", 6.5),
    ("Евгений", "Євген", 4.0),
    ("Максим", "Максим", 4.0),
    ("Иван", "Іван", 3.5),
    ("Денис", "Денис", 3.5),
    ("Владимир", "Володимир", 3.0),
    ("Артём", "Артем", 3.0),
    ("Михаил", "Михайло", 3.0),
    ("Николай", "Микола", 2.5),
    ("Роман", "Роман", 2.5),
    ("Павел", "Павло", 2.5),
    ("Антон", "Антон", 2.0),
    ("Виталий", "Віталій", 2.0),
    ("Игорь", "Ігор", 2.0),
    ("Олег", "Олег", 2.0),
    ("Владислав", "Владислав", 2.0),
    ("Никита", "Микита", 2.0),
    ("Илья", "Ілля", 2.0),
    ("Кирилл", "Кирило", 2.0),
    ("Юрий", "Юрій", 1.5),
    ("Константин", "Костянтин", 1.5),
    ("Виктор", "Віктор", 1.5),
    ("Руслан", "Руслан", 1.5),
    ("Егор", "Єгор", 1.5),
    ("Вадим", "Вадим", 1.3),
    ("Даниил", "Данило", 1.2),
    ("Вячеслав", "Вʼячеслав", 1.2),
    ("Станислав", "Станіслав", 1.0),
    ("Василий", "Василь", 1.0),
    ("Тимур", "Тимур", 1.0),
    ("Артур", "Артур", 1.0),
    ("Анатолий", "Анатолій", 0.8),
    ("Валерий", "Валерій", 0.8),
    ("Данил", "Данило", 0.6),
    ("Григорий", "Григорій", 0.5),
    ("Георгий", "Георгій", 0.5),
    ("Эдуард", "Едуард", 0.5),
    ("Геннадий", "Геннадій", 0.5),
    ("Пётр", "Петро", 0.5),
    ("Ярослав", "Ярослав", 0.5),
    ("Леонид", "Леонід", 0.4),
    ("Степан", "Степан", 0.4),
    ("Фёдор", "Федір", 0.4),
    ("Семён", "Семен", 0.4),
    ("Борис", "Борис", 0.4),
    ("Глеб", "Гліб", 0.3),
    ("Богдан", "Богдан", 0.3),
    ("Валентин", "Валентин", 0.3),
    ("Матвей", "Матвій", 0.2),
    ("Аркадий", "Аркадій", 0.2),
    ("Ростислав", "Ростислав", 0.2),
    ("Захар", "Захар", 0.2),
    ("Тимофей", "Тимофій", 0.2),
)
# Weight given to Faker's long tail of male names, spread evenly over it.
GIVEN_M_TAIL_WEIGHT = 2.0

# Given names of women (a few per cent of the dead: medics, volunteers).
GIVEN_F: tuple[tuple[str, str, float], ...] = (
    ("Елена", "Олена", 3.0),
    ("Ольга", "Ольга", 3.0),
    ("Наталья", "Наталія", 3.0),
    ("Анна", "Анна", 2.0),
    ("Татьяна", "Тетяна", 2.5),
    ("Екатерина", "Катерина", 2.0),
    ("Светлана", "Світлана", 2.0),
    ("Ирина", "Ірина", 2.0),
    ("Юлия", "Юлія", 2.0),
    ("Мария", "Марія", 1.5),
    ("Анастасия", "Анастасія", 1.5),
    ("Марина", "Марина", 1.5),
)

# Fathers' names: (father's given name, patronymic m, patronymic f, Ukrainian patronymic m,
# weight). Fathers were born 1935-1985, hence a different popularity order.
FATHERS: tuple[tuple[str, str, str, str, float], ...] = (
    ("Александр", "Александрович", "Александровна", "Олександрович", 9.0),
    ("Сергей", "Сергеевич", "Сергеевна", "Сергійович", 8.0),
    ("Владимир", "Владимирович", "Владимировна", "Володимирович", 7.0),
    ("Николай", "Николаевич", "Николаевна", "Миколайович", 5.5),
    ("Андрей", "Андреевич", "Андреевна", "Андрійович", 5.0),
    ("Виктор", "Викторович", "Викторовна", "Вікторович", 5.0),
    ("Юрий", "Юрьевич", "Юрьевна", "Юрійович", 4.5),
    ("Алексей", "Алексеевич", "Алексеевна", "Олексійович", 4.5),
    ("Анатолий", "Анатольевич", "Анатольевна", "Анатолійович", 3.5),
    ("Михаил", "Михайлович", "Михайловна", "Михайлович", 3.5),
    ("Валерий", "Валерьевич", "Валерьевна", "Валерійович", 3.5),
    ("Игорь", "Игоревич", "Игоревна", "Ігорович", 3.0),
    ("Евгений", "Евгеньевич", "Евгеньевна", "Євгенович", 3.0),
    ("Иван", "Иванович", "Ивановна", "Іванович", 3.0),
    ("Дмитрий", "Дмитриевич", "Дмитриевна", "Дмитрович", 3.0),
    ("Василий", "Васильевич", "Васильевна", "Васильович", 2.5),
    ("Геннадий", "Геннадьевич", "Геннадьевна", "Геннадійович", 2.5),
    ("Олег", "Олегович", "Олеговна", "Олегович", 2.5),
    ("Вячеслав", "Вячеславович", "Вячеславовна", "Вʼячеславович", 2.0),
    ("Петр", "Петрович", "Петровна", "Петрович", 2.0),
    ("Борис", "Борисович", "Борисовна", "Борисович", 1.5),
    ("Владислав", "Владиславович", "Владиславовна", "Владиславович", 1.0),
    ("Павел", "Павлович", "Павловна", "Павлович", 1.5),
    ("Константин", "Константинович", "Константиновна", "Костянтинович", 1.2),
    ("Вадим", "Вадимович", "Вадимовна", "Вадимович", 1.0),
    ("Виталий", "Витальевич", "Витальевна", "Віталійович", 1.5),
    ("Григорий", "Григорьевич", "Григорьевна", "Григорович", 1.0),
    ("Роман", "Романович", "Романовна", "Романович", 1.0),
    ("Леонид", "Леонидович", "Леонидовна", "Леонідович", 1.0),
    ("Станислав", "Станиславович", "Станиславовна", "Станіславович", 0.8),
    ("Федор", "Федорович", "Федоровна", "Федорович", 0.8),
    ("Илья", "Ильич", "Ильинична", "Ілліч", 0.5),
    ("Никита", "Никитич", "Никитична", "Микитович", 0.3),
    ("Геннадий", "Геннадиевич", "Геннадиевна", "Геннадійович", 0.3),
)
PATRONYMIC_TAIL_WEIGHT = 1.5

# Non-Slavic groups common in these lists: given names, fathers' names (patronymic m, f) and
# surnames (masculine). `patronymic_style` says how the patronymic is written.
GROUPS: dict[str, dict[str, object]] = {
    "tatar_bashkir": {
        "given": (
            "Ринат",
            "Рустам",
            "Ильдар",
            "Марат",
            "Айдар",
            "Рамиль",
            "Ильнур",
            "Азат",
            "Радик",
            "Айрат",
            "Ильшат",
            "Раиль",
            "Салават",
            "Динар",
            "Рафаэль",
            "Ильдус",
            "Ленар",
            "Фанис",
            "Ирек",
            "Рафис",
            "Ильгиз",
            "Ришат",
            "Булат",
            "Тагир",
            "Азамат",
            "Айнур",
            "Ильмир",
            "Рузиль",
            "Тимур",
            "Альберт",
            "Артур",
        ),
        "fathers": (
            "Ринат",
            "Рашит",
            "Марат",
            "Ильдар",
            "Фарит",
            "Рафаэль",
            "Ильфат",
            "Радик",
            "Наиль",
            "Азат",
            "Рамиль",
            "Салават",
            "Ильдус",
            "Фанис",
            "Ирек",
            "Рашид",
            "Равиль",
            "Мансур",
            "Шамиль",
            "Ильгиз",
            "Рустем",
            "Зуфар",
            "Фарид",
        ),
        "surnames": (
            "Хабибуллин",
            "Галиев",
            "Сафин",
            "Гарипов",
            "Зарипов",
            "Хайруллин",
            "Ахметов",
            "Валиев",
            "Мухаметшин",
            "Гайнуллин",
            "Шарипов",
            "Юсупов",
            "Нуриев",
            "Исмагилов",
            "Файзуллин",
            "Габдуллин",
            "Садыков",
            "Закиров",
            "Хасанов",
            "Ибрагимов",
            "Абдуллин",
            "Латыпов",
            "Мингазов",
            "Гильманов",
            "Гайсин",
            "Шайхутдинов",
            "Ахмадуллин",
            "Фаттахов",
            "Сагитов",
            "Хафизов",
            "Газизов",
            "Камалов",
            "Исхаков",
            "Гатауллин",
            "Мустафин",
            "Низамов",
            "Нигматуллин",
            "Халиков",
            "Кашапов",
            "Насыров",
            "Рахимов",
            "Каримов",
            "Гумеров",
            "Бикбаев",
            "Аминов",
            "Ганиев",
            "Фахрутдинов",
            "Шамсутдинов",
        ),
        "patronymic_style": "ovich",
    },
    "dagestani": {
        "given": (
            "Магомед",
            "Абдулла",
            "Расул",
            "Шамиль",
            "Гаджи",
            "Ислам",
            "Камиль",
            "Магомед-Расул",
            "Абдул-Керим",
            "Хаджи-Мурат",
            "Ахмед",
            "Гусейн",
            "Арсен",
            "Мурад",
            "Рамазан",
            "Абакар",
            "Саид",
            "Гамзат",
            "Абдурахман",
            "Али",
            "Курбан",
            "Нариман",
            "Тимур",
            "Руслан",
            "Рустам",
            "Анвар",
            "Гаджимурад",
        ),
        "fathers": (
            "Магомед",
            "Абдулла",
            "Гаджи",
            "Ахмед",
            "Омар",
            "Гасан",
            "Курбан",
            "Рамазан",
            "Али",
            "Магомед-Али",
            "Абакар",
            "Муса",
            "Саид",
            "Гамзат",
            "Расул",
            "Шамиль",
            "Исмаил",
            "Сулейман",
            "Гусейн",
            "Нурмагомед",
        ),
        "surnames": (
            "Магомедов",
            "Гаджиев",
            "Абдуллаев",
            "Алиев",
            "Омаров",
            "Гасанов",
            "Рамазанов",
            "Курбанов",
            "Абакаров",
            "Магомедрасулов",
            "Исмаилов",
            "Гусейнов",
            "Ахмедов",
            "Муртузалиев",
            "Шамилов",
            "Алибеков",
            "Гаджимагомедов",
            "Мусаев",
            "Нурмагомедов",
            "Сулейманов",
            "Гамзатов",
            "Абдурахманов",
            "Алиханов",
            "Кадиев",
            "Меджидов",
            "Магомаев",
            "Казиев",
            "Айдемиров",
            "Рашидов",
            "Керимов",
            "Эфендиев",
            "Шихмагомедов",
            "Гаджиалиев",
            "Мирзоев",
            "Зейналов",
            "Юсупов",
            "Исаев",
        ),
        "patronymic_style": "ovich",
    },
    "chechen": {
        "given": (
            "Ислам",
            "Ахмед",
            "Адам",
            "Хусейн",
            "Зелимхан",
            "Аслан",
            "Мансур",
            "Рустам",
            "Магомед",
            "Муслим",
            "Ибрагим",
            "Турпал-Али",
            "Саид-Эми",
            "Алихан",
            "Беслан",
            "Аюб",
            "Хамзат",
            "Абдул",
            "Усман",
            "Арби",
            "Шамиль",
            "Ризван",
            "Джабраил",
        ),
        "fathers": (
            "Ахмед",
            "Хусейн",
            "Ваха",
            "Султан",
            "Руслан",
            "Умар",
            "Саид",
            "Шамиль",
            "Аслан",
            "Лечи",
            "Муса",
            "Абу",
            "Хамзат",
            "Магомед",
            "Сайд-Хусейн",
            "Усман",
            "Ахмад",
        ),
        "surnames": (
            "Исаев",
            "Ахмадов",
            "Мусаев",
            "Умаров",
            "Хасанов",
            "Эльмурзаев",
            "Садулаев",
            "Байсултанов",
            "Муртазов",
            "Идрисов",
            "Тагиров",
            "Джабраилов",
            "Шамсудинов",
            "Цураев",
            "Гайрбеков",
            "Дадаев",
            "Закриев",
            "Магомадов",
            "Абдулаев",
            "Муталибов",
            "Эдилов",
            "Висаитов",
            "Хамзатов",
            "Межидов",
            "Бисултанов",
            "Юсупов",
        ),
        "patronymic_style": "ovich",
    },
    "buryat": {
        "given": (
            "Баир",
            "Булат",
            "Алдар",
            "Жаргал",
            "Солбон",
            "Батор",
            "Дашинима",
            "Цырен",
            "Баяр",
            "Тумэн",
            "Аюр",
            "Бато",
            "Мунко",
            "Зоригто",
            "Эрдэм",
            "Чингис",
            "Саян",
            "Тимур",
            "Доржи",
            "Бэлигто",
            "Бальжинима",
            "Аюша",
            "Цыдып",
            "Эрдэни",
            "Амгалан",
            "Буянто",
            "Галсан",
            "Дашидондок",
        ),
        "fathers": (
            "Цырен",
            "Дашинима",
            "Баир",
            "Бато",
            "Доржи",
            "Жамсо",
            "Намжил",
            "Бадма",
            "Николай",
            "Владимир",
            "Александр",
            "Батор",
            "Цыдып",
            "Дамба",
            "Ринчин",
            "Бальжинима",
            "Гомбо",
            "Аюша",
            "Эрдэни",
            "Галсан",
        ),
        "surnames": (
            "Цыренов",
            "Дашиев",
            "Будаев",
            "Доржиев",
            "Балданов",
            "Жамсуев",
            "Бадмаев",
            "Цыбиков",
            "Намсараев",
            "Батуев",
            "Гармаев",
            "Аюшеев",
            "Дамбаев",
            "Раднаев",
            "Очиров",
            "Жигжитов",
            "Ринчинов",
            "Санжиев",
            "Цыдыпов",
            "Баторов",
            "Цыренжапов",
            "Дугаров",
            "Ванчиков",
            "Аюшиев",
            "Базаров",
            "Бальжинимаев",
            "Батомункуев",
            "Гомбоев",
            "Дондоков",
            "Жалсараев",
            "Мункуев",
            "Намжилов",
            "Самбуев",
            "Тыхеев",
            "Шагдуров",
            "Эрдынеев",
            "Хамаганов",
            "Норбоев",
            "Бадмацыренов",
        ),
        "patronymic_style": "ovich",
    },
    "tuvan": {
        "given": (
            "Айдыс",
            "Аяс",
            "Начын",
            "Чойган",
            "Айдаш",
            "Мерген",
            "Буян",
            "Херел",
            "Шолбан",
            "Орлан",
            "Саян",
            "Эрес",
            "Аян",
            "Чингис",
            "Аржаан",
            "Белек",
            "Сылдыс",
            "Тамерлан",
            "Айдар",
            "Алдын-оол",
            "Омак",
            "Чаян",
            "Эртине",
            "Шораан",
            "Байлак",
        ),
        "fathers": (
            "Оюн",
            "Монгуш",
            "Сандак",
            "Кара-оол",
            "Эрес",
            "Начын",
            "Иван",
            "Сергей",
            "Шолбан",
            "Мерген",
            "Алексей",
            "Николай",
            "Сарыг-оол",
            "Чаш-оол",
            "Владимир",
            "Андрей",
        ),
        "surnames": (
            "Ооржак",
            "Монгуш",
            "Куулар",
            "Ондар",
            "Сат",
            "Салчак",
            "Донгак",
            "Хертек",
            "Кужугет",
            "Ховалыг",
            "Сарыглар",
            "Оюн",
            "Иргит",
            "Тюлюш",
            "Ондар-оол",
            "Кара-Сал",
            "Саая",
            "Дамба",
            "Хомушку",
            "Байыр-оол",
            "Чооду",
            "Шагдыр",
            "Оюн-оол",
            "Балчый",
            "Лопсан",
            "Сотпа",
            "Кыргыс",
            "Седен",
            "Тумат",
            "Ензак",
            "Соян",
            "Норбу",
        ),
        "patronymic_style": "tuvan",
    },
    "azerbaijani": {
        "given": (
            "Эльвин",
            "Руслан",
            "Рамиль",
            "Фарид",
            "Эмиль",
            "Орхан",
            "Анар",
            "Ильгар",
            "Рашад",
            "Самир",
            "Эльчин",
            "Турал",
            "Эмин",
            "Вусал",
            "Камран",
            "Эльнур",
            "Руфат",
            "Ровшан",
            "Заур",
            "Фуад",
            "Джавид",
        ),
        "fathers": (
            "Рамиз",
            "Али",
            "Гусейн",
            "Вагиф",
            "Ильхам",
            "Тофик",
            "Айдын",
            "Эльдар",
            "Мамед",
            "Гасан",
            "Акиф",
            "Рафик",
            "Назим",
            "Гейдар",
            "Октай",
            "Фикрет",
        ),
        "surnames": (
            "Мамедов",
            "Алиев",
            "Гасанов",
            "Гусейнов",
            "Гулиев",
            "Исмаилов",
            "Аскеров",
            "Керимов",
            "Бабаев",
            "Рзаев",
            "Ахмедов",
            "Султанов",
            "Джафаров",
            "Мусаев",
            "Мирзоев",
            "Агаев",
            "Велиев",
            "Гаджиев",
            "Салимов",
            "Наджафов",
            "Ибрагимов",
            "Абдуллаев",
        ),
        "patronymic_style": "ogly",
    },
}
# Share of each group among the dead (the rest are Slavic). Rough, for realism only.
GROUP_SHARES: dict[str, float] = {
    "tatar_bashkir": 0.06,
    "dagestani": 0.03,
    "chechen": 0.008,
    "buryat": 0.025,
    "tuvan": 0.015,
    "azerbaijani": 0.006,
}
# Home regions of each non-Slavic group (region key, weight).
GROUP_REGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "tatar_bashkir": (
        ("bashkortostan", 0.55),
        ("tatarstan", 0.35),
        ("orenburg", 0.05),
        ("chelyabinsk", 0.05),
    ),
    "dagestani": (("dagestan", 0.9), ("stavropol", 0.05), ("moscow_oblast", 0.05)),
    "chechen": (("chechnya", 0.95), ("dagestan", 0.05)),
    "buryat": (("buryatia", 0.85), ("zabaykalsky", 0.12), ("irkutsk", 0.03)),
    "tuvan": (("tuva", 0.95), ("krasnoyarsk", 0.05)),
    "azerbaijani": (
        ("dagestan", 0.3),
        ("moscow_oblast", 0.3),
        ("saratov", 0.2),
        ("volgograd", 0.2),
    ),
}

# Regions: key, Russian adjective or name, type, Latin stem, Ukrainian adjective or name,
# weight (Slavic population only). Types: obl (область), krai, rep (республика), city.
REGIONS: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("bashkortostan", "Башкортостан", "rep", "Bashkortostan", "Башкортостан", 4.0),
    ("sverdlovsk", "Свердловская", "obl", "Sverdlovsk", "Свердловська", 4.0),
    ("chelyabinsk", "Челябинская", "obl", "Chelyabinsk", "Челябінська", 3.5),
    ("krasnodar", "Краснодарский", "krai", "Krasnodar", "Краснодарський", 4.0),
    ("buryatia", "Бурятия", "rep", "Buryatia", "Бурятія", 1.5),
    ("orenburg", "Оренбургская", "obl", "Orenburg", "Оренбурзька", 2.5),
    ("volgograd", "Волгоградская", "obl", "Volgograd", "Волгоградська", 2.5),
    ("rostov", "Ростовская", "obl", "Rostov", "Ростовська", 3.0),
    ("tatarstan", "Татарстан", "rep", "Tatarstan", "Татарстан", 2.0),
    ("perm", "Пермский", "krai", "Perm", "Пермський", 2.5),
    ("novosibirsk", "Новосибирская", "obl", "Novosibirsk", "Новосибірська", 2.5),
    ("irkutsk", "Иркутская", "obl", "Irkutsk", "Іркутська", 2.5),
    ("krasnoyarsk", "Красноярский", "krai", "Krasnoyarsk", "Красноярський", 2.5),
    ("kemerovo", "Кемеровская", "obl", "Kemerovo", "Кемеровська", 2.0),
    ("zabaykalsky", "Забайкальский", "krai", "Zabaykalsky", "Забайкальський", 1.5),
    ("dagestan", "Дагестан", "rep", "Dagestan", "Дагестан", 0.5),
    ("moscow_oblast", "Московская", "obl", "Moscow", "Московська", 3.0),
    ("samara", "Самарская", "obl", "Samara", "Самарська", 2.0),
    ("saratov", "Саратовская", "obl", "Saratov", "Саратовська", 2.0),
    ("altai_krai", "Алтайский", "krai", "Altai", "Алтайський", 2.0),
    ("omsk", "Омская", "obl", "Omsk", "Омська", 1.5),
    ("tyumen", "Тюменская", "obl", "Tyumen", "Тюменська", 1.2),
    ("udmurtia", "Удмуртия", "rep", "Udmurtia", "Удмуртія", 1.2),
    ("tuva", "Тыва", "rep", "Tuva", "Тува", 0.2),
    ("voronezh", "Воронежская", "obl", "Voronezh", "Воронезька", 1.5),
    ("nizhny_novgorod", "Нижегородская", "obl", "Nizhny Novgorod", "Нижньогородська", 1.8),
    ("moscow", "Москва", "city", "Moscow", "Москва", 1.0),
    ("saint_petersburg", "Санкт-Петербург", "city", "Saint Petersburg", "Санкт-Петербург", 1.2),
    ("chechnya", "Чечня", "rep", "Chechnya", "Чечня", 0.1),
    ("khabarovsk", "Хабаровский", "krai", "Khabarovsk", "Хабаровський", 1.0),
    ("primorsky", "Приморский", "krai", "Primorsky", "Приморський", 1.2),
    ("bryansk", "Брянская", "obl", "Bryansk", "Брянська", 1.0),
    ("belgorod", "Белгородская", "obl", "Belgorod", "Бєлгородська", 1.0),
    ("kursk", "Курская", "obl", "Kursk", "Курська", 0.8),
    ("pskov", "Псковская", "obl", "Pskov", "Псковська", 0.8),
    ("ulyanovsk", "Ульяновская", "obl", "Ulyanovsk", "Ульяновська", 1.0),
    ("penza", "Пензенская", "obl", "Penza", "Пензенська", 0.8),
    ("kirov", "Кировская", "obl", "Kirov", "Кіровська", 1.0),
    ("chuvashia", "Чувашия", "rep", "Chuvashia", "Чувашія", 1.0),
    ("mari_el", "Марий Эл", "rep", "Mari El", "Марій Ел", 0.5),
    ("kalmykia", "Калмыкия", "rep", "Kalmykia", "Калмикія", 0.3),
    ("sakha", "Якутия", "rep", "Yakutia", "Якутія", 0.6),
    ("north_ossetia", "Северная Осетия", "rep", "North Ossetia", "Північна Осетія", 0.5),
    ("stavropol", "Ставропольский", "krai", "Stavropol", "Ставропольський", 1.5),
)

# Ranks: Russian, abbreviated Russian, English, Ukrainian, weight, is_officer.
RANKS: tuple[tuple[str, str, str, str, float, bool], ...] = (
    ("рядовой", "ряд.", "Private", "рядовий", 45.0, False),
    ("ефрейтор", "ефр.", "Lance Corporal", "єфрейтор", 12.0, False),
    ("младший сержант", "мл. сержант", "Junior Sergeant", "молодший сержант", 10.0, False),
    ("сержант", "сержант", "Sergeant", "сержант", 8.0, False),
    ("старший сержант", "ст. сержант", "Senior Sergeant", "старший сержант", 5.0, False),
    ("старшина", "старшина", "Sergeant Major", "старшина", 1.5, False),
    ("прапорщик", "прапорщик", "Warrant Officer", "прапорщик", 2.0, False),
    ("лейтенант", "лейтенант", "Lieutenant", "лейтенант", 4.0, True),
    ("старший лейтенант", "ст. лейтенант", "Senior Lieutenant", "старший лейтенант", 4.0, True),
    ("капитан", "капитан", "Captain", "капітан", 3.0, True),
    ("майор", "майор", "Major", "майор", 1.5, True),
    ("подполковник", "подполковник", "Lieutenant Colonel", "підполковник", 0.7, True),
    ("полковник", "полковник", "Colonel", "полковник", 0.3, True),
)

# Formations a numbered unit belongs to: Russian, English, Ukrainian.
FORMATIONS: tuple[tuple[str, str, str], ...] = (
    ("1-я гвардейская танковая армия", "1st Guards Tank Army", "1-ша гвардійська танкова армія"),
    ("20-я общевойсковая армия", "20th Combined Arms Army", "20-та загальновійськова армія"),
    ("8-я общевойсковая армия", "8th Combined Arms Army", "8-ма загальновійськова армія"),
    ("58-я общевойсковая армия", "58th Combined Arms Army", "58-ма загальновійськова армія"),
    ("41-я общевойсковая армия", "41st Combined Arms Army", "41-ша загальновійськова армія"),
    ("36-я общевойсковая армия", "36th Combined Arms Army", "36-та загальновійськова армія"),
    ("5-я общевойсковая армия", "5th Combined Arms Army", "5-та загальновійськова армія"),
    ("29-я общевойсковая армия", "29th Combined Arms Army", "29-та загальновійськова армія"),
    (
        "76-я десантно-штурмовая дивизия",
        "76th Guards Air Assault Division",
        "76-та десантно-штурмова дивізія",
    ),
    (
        "106-я воздушно-десантная дивизия",
        "106th Guards Airborne Division",
        "106-та повітряно-десантна дивізія",
    ),
    (
        "155-я бригада морской пехоты",
        "155th Naval Infantry Brigade",
        "155-та бригада морської піхоти",
    ),
    ("3-й армейский корпус", "3rd Army Corps", "3-й армійський корпус"),
)


# Shares of all Slavic surnames held by Faker's frequency-ordered ru_RU head (Смирнов about
# 0.9% of men), by the Ukrainian and patronymic-style middle, and by the formed tail.
SURNAME_SHARES = (0.16, 0.34, 0.50)


def zipf(n: int, s: float) -> np.ndarray:
    """Zipf weights 1/k**s for ranks 1..n (not normalised)."""
    return 1.0 / np.arange(1, n + 1, dtype=float) ** s


def _surname_from_given(name: str) -> str | None:
    """A patronymic-style surname (Антон -> Антонов, Никита -> Никитин) or None if unclear."""
    if re.search(r"[бвгдзклмнпрстфхц]$", name):
        return name + "ов"
    if name.endswith("й"):
        return name[:-1] + "ев"
    if name.endswith("а"):
        return name[:-1] + "ин"
    return None


@lru_cache(maxsize=1)
def slavic_surnames() -> tuple[tuple[str, ...], np.ndarray]:
    """Masculine Slavic surnames with weights summing to one (frequency-ordered head first)."""
    head = list(dict.fromkeys(_Ru.last_names_male))
    # Ukrainian surnames as Russian documents spell them (Андрієнко -> Андриенко).
    ru_spelling = str.maketrans(
        {
            "і": "и",
            "ї": "и",
            "є": "е",
            "ґ": "г",
            "ʼ": "",
            "'": "",
            "’": "",
            "І": "И",
            "Є": "Е",
            "Ї": "И",
            "Ґ": "Г",
        }
    )
    uk = [
        s
        for s in dict.fromkeys(
            re.sub("ький$", "кий", x.translate(ru_spelling)) for x in _Uk.last_names_male
        )
        if s not in set(head)
    ]
    seen = set(head) | set(uk)
    derived: list[str] = []
    common_given = [g for g, _, _ in GIVEN_M] + [f[0] for f in FATHERS]
    for g in common_given:
        s = _surname_from_given(g.replace("ё", "е"))
        if s and s not in seen:
            seen.add(s)
            derived.append(s)
    # Ukrainian pairs: a stem seen with -енко is as plausible with -чук, and the reverse
    # (Адаменко / Адамчук).
    for s in list(uk):
        m = re.match(r"^(.{3,}?)(енко|чук)$", s)
        if m:
            t = m.group(1) + ("чук" if m.group(2) == "енко" else "енко")
            if t not in seen:
                seen.add(t)
                derived.append(t)
    # The long tail, formed by the usual surname patterns (see _surnames).
    tail = [t for t in dict.fromkeys(tail_surnames()) if t not in seen]
    w_head = zipf(len(head), 0.7)
    w_head *= SURNAME_SHARES[0] / w_head.sum()
    w_mid = np.full(len(uk) + len(derived), SURNAME_SHARES[1] / (len(uk) + len(derived)))
    w_tail = np.full(len(tail), SURNAME_SHARES[2] / len(tail))
    names = tuple(head + uk + derived + tail)
    w = np.concatenate([w_head, w_mid, w_tail])
    return names, w / w.sum()


@lru_cache(maxsize=1)
def given_pool_m() -> tuple[tuple[str, ...], tuple[str | None, ...], np.ndarray]:
    """Male given names (Russian), their Ukrainian forms where curated, and weights."""
    names = [g for g, _, _ in GIVEN_M]
    uk: list[str | None] = [u for _, u, _ in GIVEN_M]
    weights = [w for _, _, w in GIVEN_M]
    tail = [g for g in dict.fromkeys(_Ru.first_names_male) if g not in set(names)]
    names += tail
    uk += [None] * len(tail)
    weights += [GIVEN_M_TAIL_WEIGHT / len(tail)] * len(tail)
    w = np.asarray(weights)
    return tuple(names), tuple(uk), w / w.sum()


@lru_cache(maxsize=1)
def patronymic_pool() -> tuple[
    tuple[str, ...],
    tuple[str | None, ...],
    tuple[str | None, ...],
    tuple[str | None, ...],
    np.ndarray,
]:
    """Fathers' names with masculine, feminine and Ukrainian patronymics, and weights.

    Faker's ``middle_names_male`` make the tail; their fathers' names and feminine forms
    are unknown (None), so the tail is used for men only.
    """
    fathers: list[str | None] = [f[0] for f in FATHERS]
    pm = [f[1] for f in FATHERS]
    pf: list[str | None] = [f[2] for f in FATHERS]
    uk: list[str | None] = [f[3] for f in FATHERS]
    weights = [f[4] for f in FATHERS]
    tail = [p for p in dict.fromkeys(_Ru.middle_names_male) if p not in set(pm)]
    fathers += [None] * len(tail)
    pm += tail
    pf += [None] * len(tail)
    uk += [None] * len(tail)
    weights += [PATRONYMIC_TAIL_WEIGHT / len(tail)] * len(tail)
    w = np.asarray(weights)
    return tuple(pm), tuple(pf), tuple(uk), tuple(fathers), w / w.sum()


def _group_surname(name: str) -> str | None:
    """A surname formed from a non-Slavic given name the way the group's documents write it
    (Магомед -> Магомедов, Муса -> Мусаев, Гаджи -> Гаджиев, Цырен -> Цыренов)."""
    if "-" in name or " " in name:
        return None
    if re.search(r"[бвгджзклмнпрстфхцчшщ]$", name):
        return name + "ов"
    if name.endswith(("а", "и", "я")):
        return name + "ев" if name[-1] != "я" else name[:-1] + "ев"
    if name.endswith("й"):
        return name[:-1] + "ев"
    if name.endswith("ь"):
        return name[:-1] + "ов"
    return None


@cache
def group_surnames(group: str) -> tuple[tuple[str, ...], np.ndarray]:
    """A non-Slavic group's surnames with weights: the curated list (Zipf-weighted, most
    common first) and, for groups whose surnames come from fathers' names, a tail formed from
    the group's given and fathers' names (a fifth of the weight). Tuvan surnames (Ооржак,
    Монгуш) are clan names and get no formed tail."""
    spec = GROUPS[group]
    head = list(dict.fromkeys(spec["surnames"]))  # type: ignore[call-overload]
    w_head = zipf(len(head), 0.6)
    tail: list[str] = []
    if spec["patronymic_style"] != "tuvan":
        seen = set(head)
        for g in (*spec["given"], *spec["fathers"]):  # type: ignore[misc]
            t = _group_surname(str(g))
            if t and t not in seen:
                seen.add(t)
                tail.append(t)
    w_head = w_head / w_head.sum() * (0.8 if tail else 1.0)
    w = np.concatenate([w_head, np.full(len(tail), 0.2 / len(tail)) if tail else []])
    return tuple(head + tail), w / w.sum()


def feminine_surname(family: str) -> str:
    """The feminine form of a masculine surname (Иванов -> Иванова); invariant ones unchanged."""
    if re.search(r"(ов|ев|ёв|ин|ын)$", family):
        return family + "а"
    if re.search(r"(ский|цкий)$", family):
        return family[:-2] + "ая"
    return family


def patronymic_from_father(father: str, female: bool, style: str) -> str:
    """The patronymic of a non-Slavic father's name in the style its group writes it."""
    if style == "ogly":
        return f"{father} {'кызы' if female else 'оглы'}"
    if style == "tuvan" and "-" in father:
        return ""
    base = father
    if base.endswith("й"):
        stem, suf = base[:-1], "евич"
    elif base.endswith(("а", "я", "и", "о", "э")):
        stem, suf = base, "евич"
    else:
        stem, suf = base, "ович"
    if female:
        suf = suf[:-2] + "на"
    return stem + suf

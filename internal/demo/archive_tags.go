package demo

import (
	"slices"
	"sync"

	"tamizdat/internal/news"
)

// The archive's tags: the demo's own (tagNames), more subjects, places and
// invented people, a few hundred per edition, so that a large archive has
// tag pages of thousands of articles and tag pages of a hundred.

var moreSubjects = []L{
	{"пенсии", "пенсіі", "pensions"},
	{"налоги", "падаткі", "taxes"},
	{"жильё", "жыллё", "housing"},
	{"транспорт", "транспарт", "transport"},
	{"энергетика", "энергетыка", "energy"},
	{"экология", "экалогія", "environment"},
	{"спорт", "спорт", "sport"},
	{"студенты", "студэнты", "students"},
	{"университеты", "універсітэты", "universities"},
	{"церковь", "царква", "church"},
	{"профсоюзы", "прафсаюзы", "trade unions"},
	{"протесты", "пратэсты", "protests"},
	{"силовики", "сілавікі", "security forces"},
	{"КГБ", "КДБ", "KGB"},
	{"адвокаты", "адвакаты", "lawyers"},
	{"тюрьмы", "турмы", "prisons"},
	{"пытки", "катаванні", "torture"},
	{"депортация", "дэпартацыя", "deportation"},
	{"паспорта", "пашпарты", "passports"},
	{"визы", "візы", "visas"},
	{"беженцы", "уцекачы", "refugees"},
	{"диаспора", "дыяспара", "diaspora"},
	{"медиа", "медыя", "media"},
	{"телеграм-каналы", "тэлеграм-каналы", "Telegram channels"},
	{"соцсети", "сацсеткі", "social media"},
	{"кибербезопасность", "кібербяспека", "cybersecurity"},
	{"VPN", "VPN", "VPN"},
	{"цифровые права", "лічбавыя правы", "digital rights"},
	{"пропаганда", "прапаганда", "propaganda"},
	{"история", "гісторыя", "history"},
	{"память", "памяць", "remembrance"},
	{"архитектура", "архітэктура", "architecture"},
	{"выставки", "выставы", "exhibitions"},
	{"фестивали", "фестывалі", "festivals"},
	{"литература", "літаратура", "literature"},
	{"наука", "навука", "science"},
	{"IT", "IT", "IT"},
	{"сельское хозяйство", "сельская гаспадарка", "agriculture"},
	{"экспорт", "экспарт", "exports"},
	{"инфляция", "інфляцыя", "inflation"},
	{"зарплаты", "заробкі", "wages"},
	{"безработица", "беспрацоўе", "unemployment"},
	{"банки", "банкі", "banks"},
	{"криптовалюта", "крыптавалюта", "cryptocurrency"},
	{"Китай", "Кітай", "China"},
	{"США", "ЗША", "United States"},
	{"Германия", "Германія", "Germany"},
	{"Латвия", "Латвія", "Latvia"},
	{"Эстония", "Эстонія", "Estonia"},
	{"Армения", "Арменія", "Armenia"},
	{"Турция", "Турцыя", "Turkey"},
	{"ООН", "ААН", "United Nations"},
	{"ОБСЕ", "АБСЕ", "OSCE"},
	{"НАТО", "НАТА", "NATO"},
	{"Совет Европы", "Савет Еўропы", "Council of Europe"},
}

var morePlaces = []L{
	{"Бобруйск", "Бабруйск", "Babruysk"},
	{"Барановичи", "Баранавічы", "Baranavichy"},
	{"Борисов", "Барысаў", "Barysau"},
	{"Пинск", "Пінск", "Pinsk"},
	{"Орша", "Орша", "Orsha"},
	{"Мозырь", "Мазыр", "Mazyr"},
	{"Солигорск", "Салігорск", "Salihorsk"},
	{"Новополоцк", "Наваполацк", "Navapolatsk"},
	{"Лида", "Ліда", "Lida"},
	{"Молодечно", "Маладзечна", "Maladzyechna"},
	{"Полоцк", "Полацк", "Polatsk"},
	{"Жлобин", "Жлобін", "Zhlobin"},
	{"Светлогорск", "Светлагорск", "Svetlahorsk"},
	{"Речица", "Рэчыца", "Rechytsa"},
	{"Слуцк", "Слуцк", "Slutsk"},
	{"Кобрин", "Кобрын", "Kobryn"},
	{"Жодино", "Жодзіна", "Zhodzina"},
	{"Слоним", "Слонім", "Slonim"},
	{"Волковыск", "Ваўкавыск", "Vawkavysk"},
	{"Калинковичи", "Калінкавічы", "Kalinkavichy"},
	{"Сморгонь", "Смаргонь", "Smarhon"},
	{"Осиповичи", "Асіповічы", "Asipovichy"},
	{"Новогрудок", "Навагрудак", "Navahrudak"},
	{"Несвиж", "Нясвіж", "Nyasvizh"},
	{"Островец", "Астравец", "Astravets"},
	{"Москва", "Масква", "Moscow"},
	{"Санкт-Петербург", "Санкт-Пецярбург", "St Petersburg"},
	{"Смоленск", "Смаленск", "Smolensk"},
	{"Псков", "Пскоў", "Pskov"},
	{"Калининград", "Калінінград", "Kaliningrad"},
	{"Брянск", "Бранск", "Bryansk"},
	{"Курск", "Курск", "Kursk"},
	{"Белгород", "Белгарад", "Belgorod"},
	{"Екатеринбург", "Екацярынбург", "Yekaterinburg"},
	{"Новосибирск", "Новасібірск", "Novosibirsk"},
	{"Казань", "Казань", "Kazan"},
	{"Нижний Новгород", "Ніжні Ноўгарад", "Nizhny Novgorod"},
	{"Самара", "Самара", "Samara"},
	{"Ростов-на-Дону", "Растоў-на-Доне", "Rostov-on-Don"},
	{"Краснодар", "Краснадар", "Krasnodar"},
	{"Воронеж", "Варонеж", "Voronezh"},
	{"Пермь", "Перм", "Perm"},
	{"Уфа", "Уфа", "Ufa"},
	{"Иркутск", "Іркуцк", "Irkutsk"},
	{"Владивосток", "Уладзівасток", "Vladivostok"},
	{"Мурманск", "Мурманск", "Murmansk"},
	{"Томск", "Томск", "Tomsk"},
	{"Берлин", "Берлін", "Berlin"},
	{"Прага", "Прага", "Prague"},
	{"Рига", "Рыга", "Riga"},
	{"Таллин", "Талін", "Tallinn"},
	{"Тбилиси", "Тбілісі", "Tbilisi"},
	{"Ереван", "Ерэван", "Yerevan"},
	{"Белосток", "Беласток", "Białystok"},
	{"Краков", "Кракаў", "Kraków"},
	{"Гданьск", "Гданьск", "Gdańsk"},
	{"Вроцлав", "Вроцлаў", "Wrocław"},
	{"Каунас", "Каўнас", "Kaunas"},
	{"Клайпеда", "Клайпеда", "Klaipėda"},
	{"Стамбул", "Стамбул", "Istanbul"},
	{"Астана", "Астана", "Astana"},
	{"Алматы", "Алматы", "Almaty"},
	{"Белград", "Бялград", "Belgrade"},
	{"Хельсинки", "Хельсінкі", "Helsinki"},
	{"Брюссель", "Брусель", "Brussels"},
	{"Страсбург", "Страсбург", "Strasbourg"},
	{"Женева", "Жэнева", "Geneva"},
	{"Киев", "Кіеў", "Kyiv"},
	{"Львов", "Львоў", "Lviv"},
	{"Харьков", "Харкаў", "Kharkiv"},
	{"Одесса", "Адэса", "Odesa"},
}

// People in the news: invented first names and surnames, the surnames
// chosen to read the same for a woman and a man in all three languages.
var (
	firstNames = []L{
		{"Андрей", "Андрэй", "Andrei"}, {"Ольга", "Вольга", "Volha"}, {"Сергей", "Сяргей", "Siarhei"},
		{"Наталья", "Наталля", "Natallia"}, {"Виктор", "Віктар", "Viktar"}, {"Елена", "Алена", "Alena"},
		{"Максим", "Максім", "Maksim"}, {"Ирина", "Ірына", "Iryna"}, {"Николай", "Мікалай", "Mikalai"},
		{"Татьяна", "Таццяна", "Tatsiana"}, {"Алексей", "Аляксей", "Aliaksei"}, {"Марина", "Марына", "Maryna"},
		{"Владимир", "Уладзімір", "Uladzimir"}, {"Светлана", "Святлана", "Sviatlana"}, {"Роман", "Раман", "Raman"},
		{"Людмила", "Людміла", "Liudmila"},
	}
	surnames = []L{
		{"Дорошко", "Дарошка", "Daroshka"}, {"Савчук", "Саўчук", "Sauchuk"}, {"Марцинюк", "Марцінюк", "Martsiniuk"},
		{"Зенкевич", "Зянкевіч", "Zenkevich"}, {"Ярошевич", "Ярашэвіч", "Yarashevich"}, {"Шевель", "Шэвель", "Shevel"},
		{"Мороз", "Мароз", "Maroz"}, {"Бельчик", "Бельчык", "Belchyk"}, {"Грицук", "Грыцук", "Hrytsuk"},
		{"Тарасевич", "Тарасевіч", "Tarasevich"}, {"Климович", "Клімовіч", "Klimovich"}, {"Левчук", "Леўчук", "Leuchuk"},
		{"Горбач", "Гарбач", "Harbach"}, {"Данилюк", "Данілюк", "Daniliuk"}, {"Кулеш", "Кулеш", "Kulesh"},
		{"Романчук", "Раманчук", "Ramanchuk"},
	}
)

// archiveTags is the pool, the same in every edition (entry i is one tag
// in three languages), in a fixed order: the archive draws early entries
// more often than late ones.
var archiveTags = sync.OnceValue(func() []L {
	var pool []L
	seen := map[string]bool{}
	add := func(t L) { // a tag is new only if it is new in every edition
		for e := range t {
			if seen[editionCodes[e]+"/"+news.TagKey(t[e])] {
				return
			}
		}
		for e := range t {
			seen[editionCodes[e]+"/"+news.TagKey(t[e])] = true
		}
		pool = append(pool, t)
	}
	keys := make([]string, 0, len(tagNames))
	for k := range tagNames {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		add(tagNames[k])
	}
	for i := range max(len(moreSubjects), len(morePlaces)) {
		if i < len(moreSubjects) {
			add(moreSubjects[i])
		}
		if i < len(morePlaces) {
			add(morePlaces[i])
		}
	}
	// People come last and are many: each is in few stories.
	for _, s := range surnames {
		for _, f := range firstNames {
			add(L{f[ru] + " " + s[ru], f[be] + " " + s[be], f[en] + " " + s[en]})
		}
	}
	return pool
})

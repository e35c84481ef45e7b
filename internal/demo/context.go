package demo

// contexts are background paragraphs that fit any story of a primary category.
var contexts = map[string][]L{
	"belarus": {
		{"По подсчётам правозащитников, в Беларуси за решёткой остаются более тысячи политзаключённых. Каждый месяц к этому списку добавляются десятки новых имён, при этом часть осуждённых выходит на свободу, отбыв срок полностью.",
			"Паводле падлікаў праваабаронцаў, у Беларусі за кратамі застаюцца больш за тысячу палітвязняў. Кожны месяц да гэтага спісу дадаюцца дзясяткі новых імёнаў, пры гэтым частка асуджаных выходзіць на волю, адбыўшы тэрмін цалкам.",
			"Human rights defenders count more than a thousand political prisoners behind bars in Belarus. Dozens of new names are added to the list every month, while some of those convicted are released after serving their full sentences."},
		{"С 2020 года из Беларуси уехали, по разным оценкам, от нескольких сотен тысяч до полумиллиона человек. Многие продолжают следить за новостями из дома и поддерживать связь с родными, хотя это становится всё опаснее.",
			"З 2020 года з Беларусі з'ехалі, паводле розных ацэнак, ад некалькіх сотняў тысяч да паўмільёна чалавек. Многія працягваюць сачыць за навінамі з дому і падтрымліваць сувязь з роднымі, хоць гэта становіцца ўсё больш небяспечным.",
			"Since 2020, estimates suggest that between several hundred thousand and half a million people have left Belarus. Many still follow the news from home and stay in touch with their families, although that is becoming ever more dangerous."},
		{"Уголовные дела по «экстремистским» статьям стали в Беларуси обычной практикой: поводом может стать подписка на независимое медиа, донат фонду помощи или комментарий в соцсетях. Процессы, как правило, проходят в закрытом режиме.",
			"Крымінальныя справы па «экстрэмісцкіх» артыкулах сталі ў Беларусі звычайнай практыкай: падставай можа стаць падпіска на незалежнае медыя, данат фонду дапамогі або каментар у сацсетках. Працэсы, як правіла, праходзяць у закрытым рэжыме.",
			"Criminal cases under “extremism” articles have become routine in Belarus: a subscription to an independent outlet, a donation to an aid fund or a social media comment can be enough. Trials are usually held behind closed doors."},
	},
	"russia": {
		{"Давление на несогласных в России за последние годы стало системным: законы о «фейках», «дискредитации армии» и «иностранных агентах» позволяют преследовать практически за любое публичное высказывание.",
			"Ціск на нязгодных у Расіі за апошнія гады стаў сістэмным: законы пра «фейкі», «дыскрэдытацыю арміі» і «іншаземных агентаў» дазваляюць пераследаваць практычна за любое публічнае выказванне.",
			"Pressure on dissenters in Russia has become systematic in recent years: laws on “fakes”, “discrediting the army” and “foreign agents” make almost any public statement grounds for prosecution."},
		{"Региональные власти всё чаще действуют на опережение: не дожидаясь указаний из Москвы, они вводят собственные ограничения, чтобы продемонстрировать лояльность.",
			"Рэгіянальныя ўлады ўсё часцей дзейнічаюць на апярэджанне: не чакаючы ўказанняў з Масквы, яны ўводзяць уласныя абмежаванні, каб прадэманстраваць лаяльнасць.",
			"Regional authorities increasingly act pre-emptively: without waiting for instructions from Moscow, they introduce restrictions of their own to demonstrate loyalty."},
		{"Независимых СМИ внутри страны почти не осталось, и значительная часть информации о происходящем в регионах приходит от местных жителей, которые рискуют, делясь ею с журналистами.",
			"Незалежных СМІ ўнутры краіны амаль не засталося, і значная частка інфармацыі пра тое, што адбываецца ў рэгіёнах, паступае ад мясцовых жыхароў, якія рызыкуюць, дзелячыся ёю з журналістамі.",
			"Almost no independent media are left inside the country, and much of the information about what happens in the regions comes from local residents who take risks by sharing it with journalists."},
	},
	"politics": {
		{"Европейские правительства всё чаще принимают решения, которые напрямую касаются сотен тысяч эмигрантов из Беларуси и России, — от правил въезда до доступа к банковским услугам. При этом сами эмигранты почти не участвуют в их обсуждении.",
			"Еўрапейскія ўрады ўсё часцей прымаюць рашэнні, якія непасрэдна датычацца сотняў тысяч эмігрантаў з Беларусі і Расіі, — ад правілаў уезду да доступу да банкаўскіх паслуг. Пры гэтым самі эмігранты амаль не ўдзельнічаюць у іх абмеркаванні.",
			"European governments increasingly take decisions that directly affect hundreds of thousands of emigrants from Belarus and Russia, from entry rules to access to banking. Yet the emigrants themselves have almost no say in the debate."},
		{"Внешняя политика и внутренние репрессии всё теснее связаны: переговоры, санкции и освобождения становятся частью одного торга, условия которого редко становятся известны публике.",
			"Знешняя палітыка і ўнутраныя рэпрэсіі ўсё цясней звязаныя: перамовы, санкцыі і вызваленні становяцца часткай аднаго гандлю, умовы якога рэдка робяцца вядомымі публіцы.",
			"Foreign policy and domestic repression are ever more closely linked: negotiations, sanctions and releases are becoming part of a single bargain whose terms rarely become public."},
		{"Политическая эмиграция за последние годы заметно выросла и усложнилась: десятки организаций, штабов и инициатив пытаются говорить от имени уехавших, но договариваться между собой им удаётся далеко не всегда.",
			"Палітычная эміграцыя за апошнія гады прыкметна вырасла і ўскладнілася: дзясяткі арганізацый, штабоў і ініцыятыў спрабуюць гаварыць ад імя тых, хто з'ехаў, але дамаўляцца паміж сабой ім удаецца далёка не заўсёды.",
			"Political emigration has grown and become more complex in recent years: dozens of organisations, offices and initiatives try to speak for those who left, but they do not always manage to agree among themselves."},
	},
	"economy": {
		{"Официальная статистика публикуется всё реже и всё менее подробно, поэтому экономисты вынуждены опираться на косвенные данные: цены в магазинах, объявления о вакансиях, отчёты компаний.",
			"Афіцыйная статыстыка публікуецца ўсё радзей і ўсё менш падрабязна, таму эканамісты вымушаныя абапірацца на ўскосныя дадзеныя: цэны ў крамах, аб'явы пра вакансіі, справаздачы кампаній.",
			"Official statistics are published less and less often and in less detail, so economists have to rely on indirect data: shop prices, job advertisements and company reports."},
		{"Санкции и разрыв логистических цепочек изменили структуру торговли: выросла роль посредников, а вместе с ней — и стоимость товаров для конечного покупателя.",
			"Санкцыі і разрыў лагістычных ланцужкоў змянілі структуру гандлю: вырасла роля пасярэднікаў, а разам з ёй — і кошт тавараў для канчатковага пакупніка.",
			"Sanctions and broken supply chains have changed the structure of trade: intermediaries play a bigger role, and with them the price paid by the end customer has risen."},
		{"Для многих семей главным способом справиться с ростом расходов стали подработки и помощь родственников, уехавших за границу.",
			"Для многіх сем'яў галоўным спосабам справіцца з ростам выдаткаў сталі падпрацоўкі і дапамога сваякоў, якія з'ехалі за мяжу.",
			"For many families, side jobs and help from relatives who moved abroad have become the main way of coping with rising costs."},
	},
	"society": {
		{"Социологические исследования в нынешних условиях проводить сложно: люди боятся отвечать на вопросы, а многие темы стали запретными. Поэтому о настроениях в обществе приходится судить по косвенным признакам.",
			"Сацыялагічныя даследаванні ў цяперашніх умовах праводзіць складана: людзі баяцца адказваць на пытанні, а многія тэмы сталі забароненымі. Таму пра настроі ў грамадстве даводзіцца меркаваць па ўскосных прыкметах.",
			"Sociological research is difficult under current conditions: people are afraid to answer questions, and many subjects have become taboo. So the public mood has to be judged by indirect signs."},
		{"Волонтёрские инициативы, появившиеся после 2020 года, во многом взяли на себя то, что раньше делали государство или крупные благотворительные фонды.",
			"Валанцёрскія ініцыятывы, якія з'явіліся пасля 2020 года, шмат у чым узялі на сябе тое, што раней рабілі дзяржава або буйныя дабрачынныя фонды.",
			"Volunteer initiatives that emerged after 2020 have taken on much of what the state or large charities used to do."},
		{"Школы, больницы и коммунальные службы работают в условиях постоянной нехватки кадров: многие специалисты уехали, а на тех, кто остался, ложатся дополнительные обязанности и всё более строгий контроль.",
			"Школы, бальніцы і камунальныя службы працуюць ва ўмовах пастаяннага недахопу кадраў: многія спецыялісты з'ехалі, а на тых, хто застаўся, кладуцца дадатковыя абавязкі і ўсё больш строгі кантроль.",
			"Schools, hospitals and public utilities are permanently short of staff: many specialists have left, and those who remain face extra duties and ever tighter control."},
	},
	// exile is the background of stories about life in emigration.
	"exile": {
		{"Эмигрантские сообщества в Польше, Литве и Грузии за последние годы выстроили собственную инфраструктуру: школы, клубы, группы взаимопомощи и бесплатные консультации юристов.",
			"Эміграцыйныя супольнасці ў Польшчы, Літве і Грузіі за апошнія гады выбудавалі ўласную інфраструктуру: школы, клубы, групы ўзаемадапамогі і бясплатныя кансультацыі юрыстаў.",
			"Emigrant communities in Poland, Lithuania and Georgia have built their own infrastructure in recent years: schools, clubs, mutual aid groups and free legal advice."},
		{"По разным оценкам, за последние годы из Беларуси и России уехали сотни тысяч человек. Первые месяцы в новой стране обычно самые тяжёлые: нужно найти жильё, оформить документы и работу, часто — без знания языка.",
			"Паводле розных ацэнак, за апошнія гады з Беларусі і Расіі з'ехалі сотні тысяч чалавек. Першыя месяцы ў новай краіне звычайна самыя цяжкія: трэба знайсці жыллё, аформіць дакументы і працу, часта — без ведання мовы.",
			"By various estimates, hundreds of thousands of people have left Belarus and Russia in recent years. The first months in a new country are usually the hardest: finding housing, sorting out papers and work, often without knowing the language."},
		{"Волонтёрские инициативы, появившиеся после 2020 года, во многом взяли на себя то, что раньше делали государство или крупные благотворительные фонды.",
			"Валанцёрскія ініцыятывы, якія з'явіліся пасля 2020 года, шмат у чым узялі на сябе тое, што раней рабілі дзяржава або буйныя дабрачынныя фонды.",
			"Volunteer initiatives that emerged after 2020 have taken on much of what the state or large charities used to do."},
	},
	"war": {
		{"Информацию о ходе боевых действий сложно проверить независимо: обе стороны ограничивают доступ журналистов, а официальные заявления часто противоречат друг другу. Мы публикуем только те данные, которые удалось подтвердить хотя бы из двух источников.",
			"Інфармацыю пра ход баявых дзеянняў складана праверыць незалежна: абодва бакі абмяжоўваюць доступ журналістаў, а афіцыйныя заявы часта супярэчаць адна адной. Мы публікуем толькі тыя звесткі, якія ўдалося пацвердзіць хаця б з дзвюх крыніц.",
			"Information about the fighting is hard to verify independently: both sides restrict journalists’ access, and official statements often contradict each other. We publish only what we have been able to confirm from at least two sources."},
		{"Война, которую Россия ведёт против Украины, затрагивает и Беларусь: её территория использовалась для наступления, а экономика всё сильнее завязана на российский военный заказ.",
			"Вайна, якую Расія вядзе супраць Украіны, закранае і Беларусь: яе тэрыторыя выкарыстоўвалася для наступу, а эканоміка ўсё мацней завязаная на расійскі ваенны заказ.",
			"The war Russia is waging against Ukraine also affects Belarus: its territory was used for the invasion, and its economy is ever more dependent on Russian military orders."},
		{"Независимые исследователи продолжают документировать последствия войны — от разрушенной инфраструктуры до судеб военнопленных и пропавших без вести. Многие из этих данных потом становятся доказательствами в международных расследованиях.",
			"Незалежныя даследчыкі працягваюць дакументаваць наступствы вайны — ад разбуранай інфраструктуры да лёсаў ваеннапалонных і зніклых без вестак. Шмат якія з гэтых звестак потым становяцца доказамі ў міжнародных расследаваннях.",
			"Independent researchers continue to document the consequences of the war, from destroyed infrastructure to the fate of prisoners of war and the missing. Much of this data later becomes evidence in international investigations."},
	},
	"world": {
		{"Страны, принявшие больше всего эмигрантов из Беларуси и России, — Польша, Литва, Грузия, Казахстан и Сербия — в последние годы по-разному меняли правила: одни ужесточали их, другие, наоборот, привлекали специалистов.",
			"Краіны, якія прынялі найбольш эмігрантаў з Беларусі і Расіі, — Польшча, Літва, Грузія, Казахстан і Сербія — у апошнія гады па-рознаму мянялі правілы: адны рабілі іх жорсткімі, другія, наадварот, прыцягвалі спецыялістаў.",
			"The countries that have taken in the most emigrants from Belarus and Russia — Poland, Lithuania, Georgia, Kazakhstan and Serbia — have changed their rules in different ways in recent years: some have tightened them, others have courted skilled workers."},
		{"Международные организации не раз призывали учитывать интересы людей, покинувших свои страны по политическим причинам, но на практике решения по-прежнему принимаются на национальном уровне.",
			"Міжнародныя арганізацыі не раз заклікалі ўлічваць інтарэсы людзей, якія пакінулі свае краіны з палітычных прычын, але на практыцы рашэнні па-ранейшаму прымаюцца на нацыянальным узроўні.",
			"International organisations have repeatedly called for the interests of people who fled their countries for political reasons to be taken into account, but in practice decisions are still made at national level."},
		{"Для многих эмигрантов главным вопросом остаются документы: срок действия паспортов истекает, а получить новые за границей становится всё сложнее.",
			"Для многіх эмігрантаў галоўным пытаннем застаюцца дакументы: тэрмін дзеяння пашпартоў сканчаецца, а атрымаць новыя за мяжой становіцца ўсё складаней.",
			"For many emigrants, documents remain the main problem: passports are expiring, and getting new ones abroad is becoming ever harder."},
	},
	"culture": {
		{"Независимая культура за последние годы во многом переехала за границу: театры, издательства и музыкальные коллективы работают из Вильнюса, Варшавы, Берлина и Тбилиси.",
			"Незалежная культура за апошнія гады шмат у чым пераехала за мяжу: тэатры, выдавецтвы і музычныя калектывы працуюць з Вільнюса, Варшавы, Берліна і Тбілісі.",
			"Independent culture has largely moved abroad in recent years: theatres, publishers and bands now work from Vilnius, Warsaw, Berlin and Tbilisi."},
		{"Дома тем временем списки «экстремистских материалов» пополняются каждую неделю: под запрет попадают книги, песни, картины и даже отдельные публикации в соцсетях.",
			"Дома тым часам спісы «экстрэмісцкіх матэрыялаў» папаўняюцца кожны тыдзень: пад забарону трапляюць кнігі, песні, карціны і нават асобныя публікацыі ў сацсетках.",
			"At home, meanwhile, the lists of “extremist materials” grow every week: books, songs, paintings and even individual social media posts are banned."},
		{"Организаторы эмигрантских культурных событий признаются, что зрители стали для них не только публикой, но и главной опорой: билеты, донаты и волонтёрская помощь позволяют проектам выживать.",
			"Арганізатары эміграцыйных культурных падзей прызнаюцца, што гледачы сталі для іх не толькі публікай, але і галоўнай апорай: білеты, данаты і валанцёрская дапамога дазваляюць праектам выжываць.",
			"Organisers of cultural events in exile admit that audiences have become not only their public but their main support: tickets, donations and volunteer help keep the projects alive."},
	},
}

// genericLists are lists with a subheading that fit any story of their categories.
var genericLists = []struct {
	cats []string
	text L
}{
	{[]string{"belarus", "politics", "society"}, L{
		"## Как можно помочь\n\n* написать письмо политзаключённому — адреса и правила переписки собраны [здесь](https://example.org/ru/letters)\n* поддержать фонды, которые оплачивают адвокатов и передачи\n* рассказать об этой истории знакомым, особенно за границей\n* не публиковать данные родственников и свидетелей без их согласия",
		"## Як можна дапамагчы\n\n* напісаць ліст палітвязню — адрасы і правілы перапіскі сабраныя [тут](https://example.org/be/letters)\n* падтрымаць фонды, якія аплачваюць адвакатаў і перадачы\n* расказаць пра гэтую гісторыю знаёмым, асабліва за мяжой\n* не публікаваць дадзеныя сваякоў і сведак без іх згоды",
		"## How you can help\n\n* write a letter to a political prisoner — addresses and rules are collected [here](https://example.org/en/letters)\n* support the funds that pay for lawyers and parcels\n* tell friends about this story, especially abroad\n* do not publish details of relatives or witnesses without their consent",
	}},
	{[]string{"belarus", "russia", "society", "culture"}, L{
		"## Если сайт заблокирован\n\n* используйте VPN или Tor Browser\n* сохраните адреса наших зеркал со страницы [«Доступ»](/ru/access)\n* подпишитесь на наш канал в мессенджере — туда приходят новые адреса",
		"## Калі сайт заблакаваны\n\n* карыстайцеся VPN або Tor Browser\n* захавайце адрасы нашых люстэркаў са старонкі [«Доступ»](/be/access)\n* падпішыцеся на наш канал у мэсэнджары — туды прыходзяць новыя адрасы",
		"## If our site is blocked\n\n* use a VPN or Tor Browser\n* save the addresses of our mirrors from the [Access page](/en/access)\n* subscribe to our messenger channel, where new addresses are posted",
	}},
	{[]string{"war", "world", "russia"}, L{
		"## Как мы проверяем информацию\n\n* сверяем сообщения официальных источников с рассказами местных жителей\n* анализируем фото и видео: место, время съёмки, погоду\n* не публикуем непроверенные цифры потерь\n* прямо пишем, если подтвердить факт не удалось",
		"## Як мы правяраем інфармацыю\n\n* звяраем паведамленні афіцыйных крыніц з расповедамі мясцовых жыхароў\n* аналізуем фота і відэа: месца, час здымкі, надвор'е\n* не публікуем неправераныя лічбы страт\n* прама пішам, калі пацвердзіць факт не ўдалося",
		"## How we verify information\n\n* we compare official statements with accounts from local residents\n* we analyse photos and videos: location, time, weather\n* we do not publish unverified casualty figures\n* we say plainly when a fact could not be confirmed",
	}},
	{[]string{"economy"}, L{
		"## Как мы считали\n\n* использовали открытые данные статистических служб, министерств финансов и центральных банков\n* сравнивали цены в нескольких крупных торговых сетях\n* учитывали только данные за последние двенадцать месяцев",
		"## Як мы лічылі\n\n* выкарыстоўвалі адкрытыя дадзеныя статыстычных службаў, міністэрстваў фінансаў і цэнтральных банкаў\n* параўноўвалі цэны ў некалькіх буйных гандлёвых сетках\n* улічвалі толькі дадзеныя за апошнія дванаццаць месяцаў",
		"## How we calculated\n\n* we used open data from statistics agencies, finance ministries and central banks\n* we compared prices across several large retail chains\n* we counted only data from the past twelve months",
	}},
}

// links end a body with a pointer elsewhere; {cat} is the category slug.
var links = []L{
	{"Все наши материалы по этой теме собраны [на отдельной странице](https://example.org/ru/topics/{cat}).",
		"Усе нашы матэрыялы на гэтую тэму сабраныя [на асобнай старонцы](https://example.org/be/topics/{cat}).",
		"All our coverage of this subject is collected [on a separate page](https://example.org/en/topics/{cat})."},
	{"Если вы были свидетелем похожих событий, напишите нам через [защищённую форму](https://example.org/tips): мы не храним данные тех, кто к нам обращается.",
		"Калі вы былі сведкам падобных падзей, напішыце нам праз [абароненую форму](https://example.org/tips): мы не захоўваем дадзеныя тых, хто да нас звяртаецца.",
		"If you have witnessed something similar, write to us through our [secure form](https://example.org/tips): we keep no data about the people who contact us."},
	{"Независимая журналистика существует на деньги читателей. Если эта работа кажется вам важной, [поддержите редакцию](https://example.org/donate).",
		"Незалежная журналістыка існуе на грошы чытачоў. Калі гэтая праца здаецца вам важнай, [падтрымайце рэдакцыю](https://example.org/donate).",
		"Independent journalism is funded by its readers. If you think this work matters, [support the newsroom](https://example.org/donate)."},
	{"О том, как мы работаем с источниками и почему иногда не называем их имена, читайте в нашей [редакционной политике](https://example.org/ru/editorial-policy).",
		"Пра тое, як мы працуем з крыніцамі і чаму часам не называем іх імёны, чытайце ў нашай [рэдакцыйнай палітыцы](https://example.org/be/editorial-policy).",
		"How we work with sources, and why we sometimes do not name them, is explained in our [editorial policy](https://example.org/en/editorial-policy)."},
}

var opinionNote = L{
	"*Мнение автора может не совпадать с позицией редакции.*",
	"*Меркаванне аўтара можа не супадаць з пазіцыяй рэдакцыі.*",
	"*The views expressed in this column are the author’s own and may not reflect those of the newsroom.*",
}

var talkNote = L{
	"*Разговор сокращён и отредактирован для ясности. Некоторые детали изменены по просьбе собеседника.*",
	"*Размова скарочаная і адрэдагаваная для яснасці. Некаторыя дэталі змененыя на просьбу суразмоўцы.*",
	"*This conversation has been condensed and edited for clarity. Some details have been changed at the interviewee’s request.*",
}

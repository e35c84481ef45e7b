package demo

var commenters = [3][]string{
	{"Алеся", "Сергей К.", "Марина из Гродно", "Дмитрий", "Ольга Н.", "Иван", "читатель из Минска", "Татьяна", "Андрей В.", "Лена", "Павел", "nord_wind", "Галина Петровна", "Михаил", "Катя"},
	{"Алеся", "Сяргей К.", "Марына з Гродна", "Дзмітры", "Вольга Н.", "Янка", "чытач з Мінска", "Таццяна", "Андрэй В.", "Лена", "Павел", "nord_wind", "Галіна Пятроўна", "Міхась", "Кася"},
	{"Anna", "Mark T.", "Olena from Kraków", "Dzmitry", "J. Walsh", "Katya", "reader in Berlin", "Tomasz", "Sam", "Irina K.", "Peter", "northwind", "Greta", "Mikhail", "Lucy"},
}

// thread is a reader's comment and the replies that fit it.
type thread struct {
	text    string
	replies []string
}

var commentPool = [3][]thread{
	{
		{"Спасибо, что продолжаете писать об этом. Дома об этом молчат.", []string{"Поддерживаю. Главное — не молчать.", "Так и есть, у моих родителей в городе об этом ни слова."}},
		{"Очень важный материал, отправила маме — пусть знает, что происходит на самом деле.", []string{"Я тоже своим переслал, посмотрим, что скажут."}},
		{"А можно где-то посмотреть первоисточник? Хочу переслать друзьям, но они спросят, откуда цифры.", []string{"Ссылка есть в тексте, посмотрите внимательнее.", "Цифры, насколько я понимаю, из открытых данных, их можно проверить."}},
		{"Держитесь. Когда-нибудь всё это закончится.", []string{"Спасибо, и вы держитесь."}},
		{"Жаль, что такие новости стали привычными. Раньше от подобного был бы шок.", []string{"Это уже не первый раз, к сожалению.", "Привыкать к такому нельзя."}},
		{"Я из этих мест, всё так и есть. Спасибо, что заметили.", []string{"Передавайте привет землякам!"}},
		{"Хорошо написано, без лишних эмоций. Побольше бы таких текстов.", nil},
		{"Не со всем согласен, но за то, что показываете разные точки зрения, — спасибо.", []string{"А с чем именно не согласны? Интересно было бы услышать."}},
		{"Интересно, как это будет выглядеть через год. Сделайте, пожалуйста, продолжение.", []string{"Поддерживаю, хочется продолжения."}},
		{"Читаю вас каждое утро через VPN. Это уже как ритуал.", nil},
		{"Было бы полезно добавить инфографику — так цифры воспринимаются проще.", []string{"Да, таблица очень помогла бы."}},
		{"Мой брат через это прошёл. Тяжело читать, но нужно.", []string{"Держитесь, мы с вами.", "Сил вашему брату и всей семье."}},
		{"Редакции — сил и терпения.", nil},
		{"Стоило бы спросить мнение ещё кого-то из местных, а не только экспертов.", []string{"Местные часто боятся говорить, их можно понять."}},
		{"Подскажите, куда можно обратиться, если у меня похожая ситуация?", []string{"Попробуйте написать юристам из правозащитных организаций, они консультируют бесплатно.", "Напишите редакции через форму, они отвечают."}},
		{"Текст хороший, но заголовок, по-моему, слишком резкий.", []string{"А мне кажется, заголовок точный."}},
		{"Наконец-то кто-то объяснил это нормальным языком.", nil},
		{"В нашем городе то же самое, только об этом никто не пишет.", []string{"Напишите об этом редакции, может, они возьмутся."}},
		{"Поделился в рабочем чате, обсуждали полдня.", nil},
		{"Спасибо за честную работу. Задонатил сколько смог.", nil},
		{"Страшно представить, что чувствуют родственники.", []string{"Да, и никто за это не ответил."}},
		{"Не бросайте эту тему, пожалуйста. Через неделю все забудут.", []string{"Согласна, важно проследить, чем всё закончится."}},
		{"Небольшая опечатка во втором абзаце, а в целом — отличный материал.", []string{"Кажется, уже поправили."}},
		{"Всё это было предсказуемо ещё пару лет назад.", []string{"Предсказуемо, но легче от этого не становится."}},
		{"Грустно, но надежды не теряю.", nil},
		{"А что об этом пишут местные СМИ? Было бы интересно сравнить.", []string{"Ничего не пишут, в том-то и дело."}},
		{"Переслал родителям. Они до сих пор смотрят только телевизор.", nil},
		{"Спасибо за подробности, в других изданиях было в два раза короче.", nil},
	},
	{
		{"Дзякуй, што працягваеце пісаць пра гэта. Дома пра гэта маўчаць.", []string{"Падтрымліваю. Галоўнае — не маўчаць.", "Так і ёсць, у маіх бацькоў у горадзе пра гэта ні слова."}},
		{"Вельмі важны матэрыял, адправіла маме — хай ведае, што адбываецца насамрэч.", []string{"Я таксама сваім пераслаў, паглядзім, што скажуць."}},
		{"А дзе можна паглядзець першакрыніцу? Хачу пераслаць сябрам, але яны спытаюць, адкуль лічбы.", []string{"Спасылка ёсць у тэксце, паглядзіце ўважлівей.", "Лічбы, наколькі я разумею, з адкрытых дадзеных, іх можна праверыць."}},
		{"Трымайцеся. Калі-небудзь усё гэта скончыцца.", []string{"Дзякуй, і вы трымайцеся."}},
		{"Шкада, што такія навіны сталі звыклымі. Раней ад падобнага быў бы шок.", []string{"Гэта ўжо не першы раз, на жаль.", "Прызвычайвацца да такога нельга."}},
		{"Я з гэтых мясцін, усё так і ёсць. Дзякуй, што заўважылі.", []string{"Перадавайце прывітанне землякам!"}},
		{"Добра напісана, без лішніх эмоцый. Болей бы такіх тэкстаў.", nil},
		{"Не з усім згодны, але за тое, што паказваеце розныя пункты гледжання, — дзякуй.", []string{"А з чым менавіта не згодныя? Цікава было б пачуць."}},
		{"Цікава, як гэта будзе выглядаць праз год. Зрабіце, калі ласка, працяг.", []string{"Падтрымліваю, хочацца працягу."}},
		{"Чытаю вас кожную раніцу праз VPN. Гэта ўжо як рытуал.", nil},
		{"Было б карысна дадаць інфаграфіку — так лічбы ўспрымаюцца прасцей.", []string{"Так, табліца вельмі дапамагла б."}},
		{"Мой брат праз гэта прайшоў. Цяжка чытаць, але трэба.", []string{"Трымайцеся, мы з вамі.", "Сіл вашаму брату і ўсёй сям'і."}},
		{"Рэдакцыі — сіл і цярпення.", nil},
		{"Варта было б спытаць меркаванне яшчэ кагосьці з мясцовых, а не толькі экспертаў.", []string{"Мясцовыя часта баяцца гаварыць, іх можна зразумець."}},
		{"Падкажыце, куды можна звярнуцца, калі ў мяне падобная сітуацыя?", []string{"Паспрабуйце напісаць юрыстам з праваабарончых арганізацый, яны кансультуюць бясплатна.", "Напішыце рэдакцыі праз форму, яны адказваюць."}},
		{"Тэкст добры, але загаловак, як па мне, занадта рэзкі.", []string{"А мне здаецца, загаловак дакладны."}},
		{"Нарэшце нехта растлумачыў гэта нармальнай мовай.", nil},
		{"У нашым горадзе тое самае, толькі пра гэта ніхто не піша.", []string{"Напішыце пра гэта рэдакцыі, можа, яны возьмуцца."}},
		{"Падзяліўся ў працоўным чаце, абмяркоўвалі паўдня.", nil},
		{"Дзякуй за сумленную працу. Закінуў данат, колькі змог.", nil},
		{"Страшна ўявіць, што адчуваюць сваякі.", []string{"Так, і ніхто за гэта не адказаў."}},
		{"Не кідайце гэтую тэму, калі ласка. Праз тыдзень усе забудуць.", []string{"Згодная, важна прасачыць, чым усё скончыцца."}},
		{"Невялікая памылка друку ў другім абзацы, а ўвогуле — выдатны матэрыял.", []string{"Здаецца, ужо выправілі."}},
		{"Усё гэта было прадказальна яшчэ пару гадоў таму.", []string{"Прадказальна, але лягчэй ад гэтага не становіцца."}},
		{"Сумна, але надзеі не трачу.", nil},
		{"А што пра гэта пішуць мясцовыя СМІ? Было б цікава параўнаць.", []string{"Нічога не пішуць, у тым і справа."}},
		{"Пераслаў бацькам. Яны дагэтуль глядзяць толькі тэлевізар.", nil},
		{"Дзякуй за падрабязнасці, у іншых выданнях было ўдвая карацей.", nil},
	},
	{
		{"Thank you for keeping this story in the news. Nobody at home talks about it.", []string{"Exactly. The main thing is not to stay silent.", "True, my parents’ town hasn’t said a word about it."}},
		{"Important piece. I have shared it with colleagues who still ask why people left.", []string{"Same here, let’s see what they say."}},
		{"Is there a link to the original document? I would like to read it in full.", []string{"It’s linked in the text, have another look.", "As far as I can tell, the figures come from open data, so you can check them."}},
		{"Stay strong. This will not last forever.", []string{"Thank you, you too."}},
		{"Sad that news like this has become routine.", []string{"Sadly it’s not the first time.", "We shouldn’t get used to this."}},
		{"I grew up near there, and this matches what my relatives tell me.", []string{"Greetings to your neighbours back home!"}},
		{"Clear and calm reporting, which is rare these days.", nil},
		{"I don’t agree with every point, but thanks for giving the full picture.", []string{"Which points don’t you agree with? I’d be curious to hear."}},
		{"Would love a follow-up in a few months.", []string{"Seconded, I’d read that."}},
		{"Reading this from Toronto. It helps me understand what my in-laws are going through.", nil},
		{"A chart would make those numbers easier to follow.", []string{"Yes, a table would help a lot."}},
		{"My brother went through the same thing. Hard to read, but necessary.", []string{"Hang in there, we’re with you.", "Strength to your brother and the whole family."}},
		{"Strength and patience to the whole newsroom.", nil},
		{"It would be good to hear from more local people, not only experts.", []string{"Local people are often afraid to speak, and you can understand why."}},
		{"Where can someone in a similar situation get legal advice?", []string{"Try the lawyers at human rights organisations; they give free advice.", "Write to the newsroom through their form, they do reply."}},
		{"Good article, though I find the headline a bit too strong.", []string{"I think the headline is accurate."}},
		{"Finally someone explains this in plain language.", nil},
		{"The same is happening in my town, but nobody reports it.", []string{"Tell the newsroom about it, maybe they’ll pick it up."}},
		{"Shared this with my reading group; we discussed it for an hour.", nil},
		{"Thanks for the honest work. Just made a small donation.", nil},
		{"I can’t imagine what the families are going through.", []string{"Yes, and nobody has been held responsible."}},
		{"Please don’t drop this story. In a week everyone will have forgotten.", []string{"Agreed, it matters to follow how this ends."}},
		{"Small typo in the second paragraph, otherwise excellent.", []string{"Looks like it’s been fixed already."}},
		{"This was predictable a couple of years ago.", []string{"Predictable, but that doesn’t make it any easier."}},
		{"Grim, but I haven’t given up hope.", nil},
		{"How is the local press covering this? It would be interesting to compare.", []string{"It isn’t covering it at all, that’s the point."}},
		{"Sent this to my parents. They still only watch state TV.", nil},
		{"Thanks for the detail — other outlets ran half as much.", nil},
	},
}

var rejectedPool = [3][]string{
	{
		"Опять вы со своей пропагандой. Кто вам за это платит?",
		"Все вы одинаковые, сбежали и теперь учите жизни тех, кто остался.",
		"Автор ничего не понимает, пусть лучше пишет про погоду.",
	},
	{
		"Зноў вы са сваёй прапагандай. Хто вам за гэта плаціць?",
		"Усе вы аднолькавыя, уцяклі і цяпер вучыце жыццю тых, хто застаўся.",
		"Аўтар нічога не разумее, хай лепш піша пра надвор'е.",
	},
	{
		"More propaganda from you people. Who pays you for this?",
		"You all ran away and now lecture those who stayed.",
		"The author understands nothing and should stick to writing about the weather.",
	},
}

var spamPool = [3][]string{
	{
		"Заработок от 500 евро в день без вложений! Подробности: https://example.com/easy-money",
		"Лучший VPN со скидкой 90% только сегодня → http://cheap-vpn.example.com/promo",
		"Ставки на спорт с гарантией выигрыша: https://example.com/bet-win",
	},
	{
		"Заробак ад 500 еўра ў дзень без укладанняў! Падрабязнасці: https://example.com/easy-money",
		"Найлепшы VPN са зніжкай 90% толькі сёння → http://cheap-vpn.example.com/promo",
		"Стаўкі на спорт з гарантыяй выйгрышу: https://example.com/bet-win",
	},
	{
		"Earn 500 euros a day with no investment! Details: https://example.com/easy-money",
		"Best VPN 90% off today only → http://cheap-vpn.example.com/promo",
		"Sports betting with guaranteed wins: https://example.com/bet-win",
	},
}

var spamNames = []string{"Best Offers", "Earn Fast", "VPN Deals", ""}

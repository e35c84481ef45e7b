package i18n

// langEN is the reference catalogue: Keys and PluralKeys are read from it, and
// every other language falls back to it.
var langEN = language{
	name: "English",
	strings: map[string]string{
		// Top bar and navigation.
		"support":         "Support the website",
		"access":          "Sim Sim",
		"access_hint":     "How to reach us if the site is blocked",
		"categories":      "Categories",
		"editions":        "Editions",
		"main_menu":       "Main menu",
		"skip_to_content": "Skip to content",
		"newsroom_time":   "Newsroom time",
		"home":            "Home",
		"read_in":         "Read in %s",

		// Lists.
		"latest_news": "Latest news",
		"top_story":   "Top story",
		"breaking":    "Breaking",
		"more_in":     "More: %s",
		"no_articles": "No news here yet.",
		"older":       "Older news",
		"newer":       "Newer news",
		"page_n":      "Page %d",
		"pagination":  "Pages",
		"day_title":   "News of %s",
		"tag_title":   "Tag: %s",

		// The article.
		"by":           "By %s",
		"source":       "Source: %s",
		"published":    "Published %s",
		"updated":      "Updated %s",
		"correction":   "Correction",
		"tags":         "Tags",
		"translations": "This story in other languages",
		"photo_credit": "Photo: %s",
		"follow_us":    "Follow our social media accounts",

		// Comments.
		"comments_heading": "Comments",
		"write_comment":    "Write your comment",
		"comments_closed":  "Comments are closed.",
		"no_comments":      "No comments yet.",
		"anonymous":        "Anonymous",
		"reply_to":         "in reply to %s",

		// Support page.
		"support_title": "Support the website",
		"support_intro": "We are an independent newsroom working from exile, and our work is paid for by our readers: no state and no owner stands behind us. " +
			"Any sum helps, whether once or every month. " +
			"If you live where supporting independent media is dangerous, choose a method that does not link the payment to your name or your bank card.",

		// Access ("Sim Sim") page.
		"access_title":      "How to reach us when the site is blocked",
		"access_mirrors":    "Mirrors",
		"access_onion":      "Onion service (Tor Browser)",
		"access_feeds":      "Feeds",
		"access_feeds_text": "Our feeds can be read in any feed reader and keep working through many blocks.",

		// Static pages and their defaults.
		"about":       "About us",
		"privacy":     "Privacy",
		"about_title": "About us",
		"about_default": "We are an independent newsroom that reports the news in Russian, Belarusian and English. " +
			"We work from exile, beyond the reach of censorship, and answer only to our readers. " +
			"What we publish is decided by our editors, not by governments or advertisers.",
		"privacy_title": "Privacy",
		// Each sentence states something the product guarantees (PRODUCT.md,
		// "Non-negotiables"); change this text if that ever changes.
		"privacy_default": "This website sets no cookies for readers and carries no trackers, analytics or advertising. " +
			"Nothing on our pages is loaded from other hosts, so no third party learns what you read here. " +
			"Our server logs contain no addresses at all, and we never store your IP address in any form that could be turned back into it. " +
			"You can comment without an e-mail address or an account, and giving a name is optional. " +
			"Of a comment we keep the name you gave, the text, its time and the article it belongs to. " +
			"To stop spam we also keep, for %[1]s, a keyed hash of the address your comment, or your report of a comment, came from: the key changes every day, is stored only in encrypted form, and is destroyed after %[1]s, together with the hashes made with it. " +
			"After that nothing we hold can be linked to your address, and bans and marks for rejected comments, which rest on those hashes, end with them. " +
			"Backups and copies of the site never contain the keys.",

		// Error pages.
		"not_found_title":   "Page not found",
		"not_found_text":    "This page does not exist or has moved; try starting from the home page.",
		"gone_title":        "This article has been withdrawn",
		"gone_text":         "The newsroom has withdrawn this article and it is no longer available.",
		"error_title":       "Something went wrong",
		"error_text":        "Please try again a little later.",
		"bad_request_title": "Bad request",
		"bad_text_text":     "The address or the form you sent holds a character that no text may hold (a control character or a broken encoding). Nothing was saved: remove it and try again.",
		"unavailable_title": "The site is temporarily unavailable",
		"unavailable_text":  "We are working on it: please check back a little later or open one of our mirrors.",

		// Footer.
		"footer_rights": "© %d %s",
	},
	plural: pluralEnglish,
	plurals: map[string][]string{
		"comments": {"comment", "comments"},
		"days":     {"day", "days"},
		"articles": {"article", "articles"},
	},
	monthsIn: [12]string{
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December",
	},
	months: [12]string{
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December",
	},
	weekdays: [7]string{
		"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	},
}

package pseudonym

import "strings"

// commonWords are capitalised words that name no one: what English
// capitalises anyway (months, days, countries and their peoples,
// languages, faiths, titles) and roles a transcript labels speakers with.
// Countries are left, as a participant's country is a case attribute
// studies report; towns and cities are not in it. A word that a corpus
// also writes in lower case is taken as common too (see Find).
var commonWords = setOf(`
i i'm i've i'd i'll ok okay yes no yeah mm mhm um uh erm hmm oh
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
christmas easter ramadan eid diwali new year
god lord allah christian christians muslim muslims catholic anglican pentecostal church
english french swahili luganda acholi amharic twi nyanja bemba tigrinya oromo arabic portuguese spanish german latin
uk gb britain british england english scotland scottish wales welsh ireland irish northern
europe european africa african america american asia asian
uganda ugandan zambia zambian ghana ghanaian ethiopia ethiopian kenya kenyan tanzania tanzanian
malawi malawian rwanda rwandan nigeria nigerian somalia somaliland sudan south east west north
sierra leone liberia zimbabwe botswana mozambique namibia cameroon congo egypt
india indian pakistan bangladesh nepal china chinese japan usa us canada australia
mr mrs ms miss dr dr. prof professor sister matron sir madam nurse doctor consultant
interviewer interviewee respondent participant moderator facilitator researcher speaker
nhs who covid covid-19 ppe icu gp uk's
zoom teams whatsapp google skype facebook twitter youtube excel word powerpoint
internet wifi wi-fi brexit caregiver
hospital hospitals trust university college clinic centre center ministry health
general teaching regional referral community women's children's royal
eastern western northern southern central province district region county
spain france italy germany portugal netherlands belgium sweden norway burkina faso
`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// titles stand before a person's name and are not part of it.
var titles = setOf(`mr mrs ms miss mx dr prof professor sister matron nurse doctor sir dame lady lord auntie aunt uncle father mother brother pastor rev reverend`)

// placeWords stand before a place: "in Gulu", "from Lusaka".
var placeWords = setOf(`in at from to near around outside visiting via between`)

// roles are speaker labels that name a role, not a person.
var roles = setOf(`interviewer interviewee respondent participant moderator facilitator researcher speaker
note-taker notetaker observer translator interpreter chair host guest unknown inaudible
i r q a p int resp mod fac`)

// orgSuffixes end the names of organisations, by what replaces them.
var orgSuffixes = map[string]string{
	"hospital": "Hospital", "infirmary": "Hospital", "trust": "Trust",
	"university": "University", "college": "College",
	"clinic": "Organisation", "centre": "Organisation", "center": "Organisation",
	"surgery": "Organisation", "practice": "Organisation", "school": "School",
}

// orgConnectors may join the capitalised words of an organisation's name.
var orgConnectors = setOf(`and of & for the`)

// littleWords are the words a title capitalises and a name does not hold.
var littleWords = setOf(`the then and or of for with to in on at a an is not but by from`)

// personWords follow a person's name closely: "Lucy — she's", "Mwila, who".
var personWords = setOf(`he she who his her him said says told asked thinks thought`)

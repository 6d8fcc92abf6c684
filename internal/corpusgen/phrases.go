package corpusgen

// The phrase banks. Templates name slots in braces: {uk} and the other
// per-interview slots (see newInterview) keep one value for a whole
// interview; the others draw from banks below on every use. A slot written
// with a capital ({Staff}) has its value's first letter capitalised.
//
// Turn text never holds a colon (a word and a colon at the start of a line
// would read as a speaker label), nor & or <, which captions and Word
// would need escaped.

// answers are the participant's sentences.
var answers = []string{
	"I think the biggest thing I learnt out there was humility, if I’m honest.",
	"We did a debrief on the last afternoon, but it was mostly the visiting team talking and {staff} listening.",
	"Nobody debriefed us when we got back to {uk} — you just turned up on the Monday and picked up your list.",
	"The guideline we took out was written for a unit with {num} midwives on a shift, and they had one.",
	"There was a lot of worry about risk, e.g. what would happen if one of us got ill, and much less about the risk to patients once we left.",
	"Triage there was done by whoever happened to be at the door, and in some ways it worked better than ours.",
	"I remember {person} saying, “You come with your agenda and then you go home.”",
	"It was brisk, it was efficient, and I felt slightly in the way.",
	"The briefing pack from the trust was mostly about malaria tablets and travel insurance.",
	"I’d say I learned more in two weeks in {partner} than in a year of mandatory training.",
	"The humidity in theatre was something else, and the drapes were cotton, not disposable.",
	"We told ourselves we were there to learn, not to teach, but I’m not sure we behaved like it.",
	"{Staff} knew exactly what they needed — they just weren’t asked.",
	"We introduced {tool} in {year}, and I don’t think anyone uses it now.",
	"When {resource} runs out you improvise, and you get very good at improvising.",
	"It felt risky at the time, but the risk was mostly carried by them, not by us.",
	"There’s a kind of humility you only get when the power goes off halfway through a case.",
	"I came back and started asking why our guidelines run to forty pages.",
	"The agenda for each visit was set in {uk}, mostly by people who had never been to {partner}.",
	"I think the near miss with the oxygen changed how we talked to each other.",
	"We did a proper debrief after that, everyone in the room, the cleaners included.",
	"I felt humiliated, actually, in front of the students, and looking back I probably deserved it.",
	"{Person} just said, “We tried that in {year}.” And that was the end of it.",
	"So I had to unlearn quite a lot.",
	"Honestly? I don’t know whether they learnt anything from us.",
	"They triaged the whole ward in about ten minutes without a single monitor.",
	"Our trust’s guidance on special leave for this kind of work is, well, vague.",
	"It’s easy to write “mutual learning” in a memorandum, and it’s much harder to budget for it.",
	"The students used to call us the briefcase doctors [laughs], which was fair enough.",
	"If you asked the partner staff what the agenda was, you’d get a very different answer.",
	"{Hedge}, the word partnership was doing a lot of work.",
	"There was no money for backfill, so every trip meant someone else covering my shifts.",
	"I kept a diary the whole time, and reading it now is a bit uncomfortable.",
	"We brought {tool} because it had worked at {uk}, and that was the whole of our reasoning.",
	"The ward sister in {partner} had been doing the job for twenty years, and there I was telling her about handover.",
	"I think we confused being busy with being useful.",
	"The clinical officers do things there that a registrar here wouldn’t be allowed to touch.",
	"It wasn’t a debrief in any formal sense — more a chat over a cold drink on the last night.",
	"There’s a learning curve, and then there’s a cliff. [laughs]",
	"They were very polite about our ideas, which I now realise is not the same as agreeing with them.",
	"I’d never had to think about the cost of a pair of gloves before.",
	"{Person} taught me more about triage in an afternoon than any course I’ve been on.",
	"We talked about reverse learning a lot, but nobody wrote anything down.",
	"Back home, I started running a short debrief after every difficult case.",
	"I suppose I went out thinking I was the expert.",
	"The risk register had a whole page about us, the volunteers, and nothing about continuity.",
	"When the guideline says escalate, you have to ask, escalate to whom?",
	"I was humbled, really, by how much they managed with so little.",
	"The humility thing sounds like a cliché, but it’s true.",
	"We learnt to ask first and suggest second, eventually.",
	"It took me three visits to notice that the meetings always happened in English.",
	"We had a learner’s mindset on paper and an expert’s mindset in practice.",
	"I think there’s a risk of making it all about us — our growth, our CVs.",
	"The triage nurse there, {first2}, could read a feverish child from across the room.",
	"Nobody at {uk} asked me what I’d learned, not once.",
	"The partnership agreement talks about equity, but the budget sits with us.",
	"We set the agenda, we held the money, and we wrote the reports.",
	"So when I say humility, I mean it quite literally — being brought down a level.",
	"Some of it was just logistics, e.g. who books the flights and who chases the visas.",
	"I’d go again tomorrow, but I’d go differently.",
	"Dr. {surname} was very clear that the guideline had to be theirs, not ours.",
	"It was a brief visit, ten days, and I don’t think you can change much in ten days.",
	"The risk assessment took longer to write than the teaching plan.",
	"They had a morning meeting that was, in effect, a debrief of the night, and it was better than ours.",
	"I remember thinking, “We would never get away with this at home,” and then realising they weren’t trying to get away with anything.",
	"My manager saw it as a holiday, more or less.",
	"You learn very quickly what’s essential and what’s habit.",
	"There were days when I felt completely out of my depth.",
	"The junior doctors were sharper than I was at that stage, frankly.",
	"We did an audit of the checklist and compliance was about forty per cent — ours wasn’t much better, to be fair.",
	"The visiting team changed every six months, so the learning left with the people.",
	"I don’t think we ever asked what {partner} wanted from {uk}.",
	"It’s not that the guidelines were wrong, they were just written somewhere else.",
	"Somebody described it as “learning with, not teaching at”, and that stuck with me.",
	"And then the generator failed, again, and we finished the case by torchlight.",
	"We had a debriefing template, but it was in English and it ran to four pages.",
	"{Staff} had been triaging like that for years, long before we arrived.",
	"Sometimes the most useful thing I did was carry equipment.",
	"There was an agenda behind the agenda, if you see what I mean.",
	"I came home and my team said I was calmer. [laughs] I don’t know about that.",
	"There’s a humility in admitting you don’t know the local drug formulary.",
	"I think it made me a better clinician in the NHS, honestly.",
	"We never really closed the loop, and that still bothers me.",
	"It was humid, it was loud, and it was the best work I’ve ever done.",
	"I’m not sure the word risk means the same thing in both places.",
	"The guideline was laminated and stuck on the wall, and that was that.",
	"That’s where I learned to listen before I opened my mouth.",
	"It felt like a pilot project that never stopped being a pilot.",
	"{Person} called it “partnership tourism”, which stung a bit.",
	"We wrote a joint paper in {year}, and the partner authors were listed last.",
	"You could see the waiting room from the triage desk, so you were always counting heads.",
	"The time difference is only two hours, but the calls were always at our convenience.",
	"I remember a mother who walked for six hours to get there — I think about her a lot.",
	"{Person} asked me, quite gently, whether we would accept a visiting team telling us how to run {uk}.",
	"We were {feeling}, to be honest, for most of the first week.",
	"In {year} the link nearly folded because the funding round was cancelled.",
	"The {spec} side of it was the easy part; the relationships were the hard part.",
	"I was {feeling} when I realised the checklist had been translated by one of our own registrars.",
	"When {resource} ran short, {staff} had a system, and it was a good one.",
	"We spent the first two days just learning where everything was kept.",
	"Mr. {surname} used to say that the visitors were like the rains — welcome, but you can’t plan around them.",
	"I brought back a way of doing handover that we still use on nights.",
	"The humility came later, I think, on the second or third trip.",
	"Some people went out with a very fixed agenda, and it showed.",
	"The phrase “capacity building” makes me wince a bit now.",
	"{Staff} were far better at triage under pressure than we were.",
	"I learnt that a guideline is only as good as the supply chain behind it.",
	"We had a risky case on the second day — a ruptured ectopic — and there was no blood.",
	"I didn’t have the vocabulary for it then, but it was about power.",
	"There’s a brisk way of doing things there that I really miss.",
	"The learning was real, but it was uneven, and mostly it flowed one way.",
	"I remember the smell of the autoclave room more than anything.",
	"We used to debrief by text on the way to the airport, which tells you something.",
	"The link coordinator, {first2}, held the whole thing together, and she was never paid for it.",
	"It’s a guideline, not a law — that was the phrase they used.",
	"Our own triage system at {uk} looks quite fussy to me now.",
	"Every visit began with a meeting about the agenda, and every agenda had been written already.",
	"I’d describe it as humbling, not humiliating — there’s a difference.",
	"We assumed we knew what the risks were.",
	"They’d had twelve visiting teams before us, and we were the first to ask what the others had done.",
}

// clauses are joined in pairs by a connective into sentences of their own
// ("the ward ran out of gloves, so we improvised with what we had").
var clauses = []string{
	"the visiting team stayed for {num} weeks",
	"we ran a skills course on {tool}",
	"{staff} covered the night shifts",
	"the ward in {partner} had {num} beds for {num} nurses",
	"the link paid for the flights and nothing else",
	"{person} chaired the morning meeting",
	"we audited {tool} before and after",
	"the trust gave us {num} days of special leave",
	"nobody had asked about {resource}",
	"the ward ran out of {resource}",
	"I was the only {spec} person on the trip",
	"the course had been designed in {uk}",
	"the partner staff wrote their own version of {tool}",
	"the debrief happened on a video call a month later",
	"the triage area had one nurse and forty patients",
	"the guideline assumed there was a blood bank",
	"the agenda was circulated a week before we flew",
	"we learnt the local names for everything",
	"the risk was written up as an incident",
	"{person} had trained in {uk} years before",
	"the students followed us around all day",
	"we improvised with what we had",
	"the power came back after an hour",
	"I felt {feeling}",
	"{staff} were never invited to {uk}",
	"the reports went to the funder, not to {partner}",
	"we changed the handover to fit their shifts",
	"the mothers waited on the floor outside",
	"the pharmacy had no {resource} for a week",
	"I stopped offering advice unless someone asked",
	"the humidity ruined half the printed charts",
	"nobody measured whether anything changed",
	"{person} quietly fixed what we had got wrong",
	"a brisk walk round the ward told you everything",
}

// connectives join two clauses.
var connectives = []string{"and", "but", "so", "because", "although", "and then", "which meant", "even though", "while"}

// shortAnswers are whole answers of a few words.
var shortAnswers = []string{
	"Yes.", "No.", "Mm.", "Yeah.", "Mm-hm.", "Exactly.", "Not really.", "Sometimes.",
	"I don’t know.", "Both, probably.", "Absolutely.", "Hmm.", "Yes, definitely.", "No, never.",
}

// openers start an answer as a sentence of their own ("No. We never…").
var openers = []string{
	"Yes.", "No.", "Mm.", "Yeah.", "Oh, definitely.", "Not at first.", "Hmm.", "Honestly?",
	"Good question.", "Yes and no.", "Right.", "Gosh.", "Um.",
}

// leads start a sentence; the sentence's first word is lower-cased after
// them unless it is "I" or a name.
var leads = []string{
	"So", "And", "But", "Um,", "Well,", "I mean,", "Honestly,", "Yeah, so", "And, um,",
	"Er,", "You know,", "To be fair,", "Mm, and", "Anyway,", "Actually,", "Like,",
}

// tails end a sentence, before its full stop.
var tails = []string{
	", you know", ", I think", ", to be fair", ", if that makes sense", ", really",
	", more or less", " — which surprised me", ", I suppose", ", e.g. on nights", ", at least at first",
}

// asides follow a sentence.
var asides = []string{"[laughs]", "[pause]", "[sighs]", "[laughs]", "[inaudible]"}

// questions are the interviewer's turns.
var questions = []string{
	"What did you expect to get out of it, at the very start?",
	"Did you expect to learn anything yourself?",
	"When you say {echo}, what do you mean by that?",
	"Was there any kind of debrief when you came back to {uk}?",
	"Who set the agenda for the visits?",
	"How did {tool} fit the setting in {partner}?",
	"Can you give me an example?",
	"How did that feel at the time?",
	"And looking back, how do you feel about it now?",
	"Did anything change in how you work here, in the NHS?",
	"How was risk talked about, e.g. before a trip?",
	"What about triage — was that something you worked on together?",
	"Were the guidelines yours or theirs, would you say?",
	"You mentioned humility earlier. Could you say a bit more about that?",
	"Did you feel able to disagree with {person}?",
	"What would you change if you were starting the link again?",
	"How did your colleagues at {uk} react when you got back?",
	"Who was in the room when those decisions were made?",
	"Was that ever written down anywhere?",
	"And how did the partner staff see it, do you think?",
	"What did {staff} make of it?",
	"Is there anything you learnt there that you’ve brought back?",
	"Did you get any briefing before you went?",
	"How long were the visits, typically?",
	"So was it a partnership, in the end?",
	"Sorry, the line dropped for a second — could you say that again?",
	"Right. And who paid for that?",
	"How did you decide what to teach?",
	"Was there a near miss or an incident that stands out?",
	"What does mutual learning look like in practice, for you?",
	"Did {person} ever push back on the agenda?",
	"How did the humidity and the heat affect the work, if at all?",
	"What happened to {tool} after you left?",
	"Would you call that a risk, or something else?",
	"Was the debrief the same for the partner staff as for the visitors?",
	"How did you learn what the local guidelines were?",
	"That’s really interesting. Why do you think that was?",
	"Did it change how you think about triage here?",
	"What did the trust give you in terms of support, e.g. leave or funding?",
	"In {year}, when things changed, what happened to the link?",
}

// backchannels are the interviewer's short prompts.
var backchannels = []string{"Mm.", "Right.", "Okay.", "Mm-hm.", "Go on.", "Sure.", "I see.", "Yeah.", "Mm. Go on."}

// echoes are the interviewer's one-word questions back.
var echoes = []string{"Humility?", "A debrief?", "The agenda?", "Risky in what way?", "Unlearn?", "Their guideline, or yours?", "Triage?"}

// closing is the interviewer's last question.
const closing = "Is there anything we haven’t covered that you’d like to add?"

// banks fill the slots that change at every use.
var banks = map[string][]string{
	"num":   {"two", "three", "four", "five", "six", "eight", "ten", "twelve"},
	"year":  {"2012", "2014", "2015", "2016", "2017", "2018", "2019", "2021", "2022"},
	"hedge": {"I think", "I suppose", "To be honest", "If I’m honest", "In a way", "Looking back"},
	"staff": {
		"the theatre nurses", "the midwives", "the registrars", "the clinical officers", "the junior doctors",
		"the anaesthetic officers", "the ward sisters", "the nursing students", "the pharmacy team", "the interns",
	},
	"tool": {
		"the early warning chart", "the sepsis bundle", "the surgical safety checklist", "the partograph",
		"the handover template", "the drug chart", "the triage tool", "the discharge checklist",
		"the referral form", "the fluid balance chart", "the ketamine protocol", "the newborn resuscitation algorithm",
	},
	"resource": {
		"oxygen", "blood", "gloves", "suction", "sterile drapes", "paracetamol", "theatre linen",
		"fuel for the generator", "staff", "cannulas",
	},
	"person": {
		"Dr. Okello", "Sister Mwansa", "the matron", "the head of department", "my clinical lead",
		"one of the registrars", "Mr. Adeyemi", "a junior colleague", "Dr. Tesfaye", "Mrs. Phiri",
		"the medical director", "our link coordinator", "Dr. Ní Bhriain", "Sister Achieng",
	},
	"feeling": {
		"uncomfortable", "embarrassed", "humbled", "frustrated", "really proud", "a bit lost",
		"out of our depth", "quite defensive", "exhausted", "elated",
	},
	"echo": {
		"humility", "mutual learning", "partnership", "a proper debrief", "risk", "their agenda",
		"unlearning", "being useful",
	},
}

// Who takes part. Names mix the UK and partner sides; some are accented.
var (
	ukFirst       = []string{"Helen", "Siobhán", "Zoë", "Rhys", "Chloé", "Tom", "Priya", "Aoife", "Gareth", "Renée", "Łukasz", "Hélène", "Imran", "Beth", "Inés", "Declan"}
	ukLast        = []string{"Ashby", "Kelly", "Pritchard", "Llewellyn", "Holt", "Nair", "Brennan", "Nowak", "Dubois", "Hussain", "Fairweather", "Ó Súilleabháin", "Castellano", "Marsden"}
	partnerFirst  = []string{"Grace", "Mwila", "Tigist", "Kwabena", "Nakato", "Chimwemwe", "Esi", "Tadesse", "Fatmata", "Amara", "Joseph", "Mercy", "Nnamdi", "Akosua", "Dawit", "Ruth"}
	partnerLast   = []string{"Okello", "Mwansa", "Bekele", "Owusu", "Kamara", "Phiri", "Banda", "Eze", "Ssali", "Achieng", "Chirwa", "Osei", "Tesfaye", "Kabwe"}
	ukSites       = []string{"Harrowfield General", "Kingsmere", "St Aldhelm’s", "Eastholme Royal", "Wrexley", "Saltcombe", "Penmarrow", "Ashbury"}
	partnerSites  = []string{"Mbale", "Moshi", "Tamale", "Blantyre", "Jimma", "Kisumu", "Ndola", "Makeni"}
	specialties   = []string{"anaesthesia", "maternity", "emergency care", "surgery", "nursing", "paediatrics", "stroke rehabilitation", "pharmacy"}
	linkKinds     = []string{"Surgical Partnership", "Maternity Link", "Emergency Care Partnership", "Nursing Link", "Paediatric Partnership", "Anaesthesia Link"}
	roles         = []string{"NHS consultant anaesthetist", "theatre nurse", "midwife, band 7", "clinical officer", "nursing officer", "physiotherapist", "lead pharmacist", "paediatric registrar", "ward manager", "medical director", "emergency physician", "link coordinator"}
	researchers   = []string{"R. Patel", "K. Mensah", "J. Whitfield", "L. Fraser", "S. Linton", "M. Ogunleye", "D. Byrne"}
	months        = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	interviewers2 = [][2]string{{"Interviewer 1", "Interviewer 2"}, {"KM", "LF"}}
)

"""The Riverside Care Lab's people, conversations, themes and community assets (issue 5), loaded by
carecommons/demo/listening.py. Riverside is a fictional neighbourhood and everyone in it is fictional.

Days are relative to the day the demo is loaded (negative = in the past). Two circles of people, care
workers and unpaid carers with the residents they care for, meet through a few who belong to both:
Sunita and Ruth, and, in the last three months, Lorraine (a care worker who became a carer too) and
Leila (who helps carers she met at the first joint gathering). Each circle has its own organisers, so
listening does not tie the circles together: Priya and Fatima listen to care workers, Joe to carers
and residents. The network pages find these two groups and these bridges
(demo/tests/test_demo_listening.py checks it). The lab's eight existing members
(fixtures.CARE_LAB_MEMBERS) are found by their first name in lower case ("agnes", "rob", ...).
"""

from typing import NamedTuple


# fmt: off
class LabPerson(NamedTuple):
    key: str
    first: str
    last: str
    tags: tuple[str, ...]
    circle: str  # "workers", "carers", "both" or "alone" (no ties yet)


PEOPLE = [
    LabPerson("bernadette", "Bernadette", "Osei", ("care-worker",), "workers"),
    LabPerson("kasia", "Kasia", "Zielinska", ("care-worker",), "workers"),
    LabPerson("darren", "Darren", "Holt", ("care-worker",), "workers"),
    LabPerson("mercy", "Mercy", "Adjei", ("care-worker",), "workers"),
    LabPerson("paolo", "Paolo", "Ricci", ("care-worker",), "workers"),
    LabPerson("shabnam", "Shabnam", "Hussaini", ("care-worker",), "workers"),
    LabPerson("lee", "Lee", "Cartwright", ("care-worker",), "workers"),
    LabPerson("joy", "Joy", "Nwachukwu", ("care-worker",), "workers"),
    LabPerson("andrius", "Andrius", "Petrauskas", ("care-worker",), "workers"),
    LabPerson("tanya", "Tanya", "Webb", ("care-worker",), "workers"),
    LabPerson("pauline", "Pauline", "Greaves", ("unpaid-carer",), "carers"),
    LabPerson("stan", "Stan", "Kowalczyk", ("resident",), "carers"),
    LabPerson("doreen", "Doreen", "Platt", ("resident",), "carers"),
    LabPerson("imran", "Imran", "Sheikh", ("unpaid-carer",), "carers"),
    LabPerson("margaret", "Margaret", "Ellison", ("resident",), "carers"),
    LabPerson("yvonne", "Yvonne", "Baptiste", ("unpaid-carer",), "carers"),
    LabPerson("neil", "Neil", "Ashworth", ("unpaid-carer",), "carers"),
    LabPerson("hafsa", "Hafsa", "Omar", ("unpaid-carer",), "carers"),
    LabPerson("bernard", "Bernard", "Flynn", ("resident",), "carers"),
    LabPerson("carol", "Carol", "Dempsey", ("unpaid-carer",), "carers"),
    LabPerson("lorraine", "Lorraine", "Mitchell", ("care-worker", "unpaid-carer"), "both"),
    LabPerson("arthur", "Arthur", "Bell", ("resident",), "carers"),
    LabPerson("nasreen", "Nasreen", "Akram", ("unpaid-carer",), "carers"),
    LabPerson("kevin", "Kevin", "Rourke", ("resident",), "alone"),
    LabPerson("elsie", "Elsie", "Thornton", ("unpaid-carer",), "alone"),
]
# People who joined the lab's gatherings cohort before the first snapshot and after it. Nasreen is
# listened to only after it (she "became connected"); nobody has listened to Kevin or Elsie yet.
JOINED_BEFORE = ("nasreen", "kevin")
JOINED_AFTER = ("elsie",)

# Who has not agreed to notes: never asked (facts only), or said no (doreen).
NOTES_NEVER_ASKED = ("mick", "shabnam", "lee", "nasreen")
NOTES_DECLINED = ("doreen",)
QUOTES_DECLINED = ("margaret", "yvonne", "andrius", "arthur")

# key -> (name, kind, description)
ORGANISATIONS = {
    "brightwater": ("Brightwater Home Care", "other", "A home care agency in Riverside."),
    "voice": ("Riverside Care Workers Voice", "grassroots", "Care workers meeting to speak up together."),
    "carers_centre": ("Riverside Carers Centre", "charity", "Support, breaks and advice for carers."),
    "tenants": ("Millbank Court Tenants Association", "grassroots", "Tenants of Millbank Court."),
    "day_centre": ("Riverside Day Centre", "statutory", "The council's day centre for older people."),
}

# (person, organisation, role): before the first network snapshot, three months ago, and after it.
AFFILIATIONS_BEFORE = [
    *((p, "brightwater", "care worker") for p in ("agnes", "bernadette", "kasia", "shabnam", "lorraine")),
    ("tanya", "brightwater", "care coordinator"),
    *((p, "voice", "member") for p in (
        "agnes", "bernadette", "kasia", "shabnam", "darren", "leila", "oksana", "mercy", "paolo")),
    *((p, "carers_centre", "member") for p in ("rob", "pauline", "neil", "yvonne", "imran", "carol")),
    ("ruth", "carers_centre", "trustee"),
    *((p, "tenants", "tenant") for p in ("mick", "terry", "margaret", "doreen", "carol")),
    *((p, "day_centre", "member") for p in ("terry", "stan")),
    ("sunita", "day_centre", "volunteer"),
]
AFFILIATIONS_AFTER = [
    ("lorraine", "carers_centre", "member"),
    ("bernard", "tenants", "tenant"),
    ("hafsa", "carers_centre", "young carers group"),
    ("rob", "day_centre", "carer of a member"),
    ("margaret", "day_centre", "member"),
    ("lee", "brightwater", "care worker"),
    *((p, "voice", "member") for p in ("joy", "andrius", "tanya", "lee")),
]

# (from, to, kind)
RELATIONSHIPS_BEFORE = [
    # care workers
    ("agnes", "andrius", "friend"), ("agnes", "bernadette", "colleague"), ("agnes", "kasia", "colleague"),
    ("agnes", "oksana", "colleague"), ("agnes", "oksana", "friend"), ("agnes", "shabnam", "friend"),
    ("bernadette", "lorraine", "colleague"), ("bernadette", "mercy", "friend"),
    ("bernadette", "shabnam", "colleague"), ("darren", "andrius", "friend"), ("kasia", "darren", "friend"),
    ("kasia", "leila", "colleague"), ("kasia", "oksana", "friend"), ("kasia", "tanya", "friend"),
    ("lee", "lorraine", "colleague"), ("leila", "joy", "friend"), ("leila", "kasia", "friend"),
    ("leila", "paolo", "friend"), ("mercy", "joy", "colleague"), ("oksana", "andrius", "colleague"),
    ("paolo", "darren", "friend"), ("shabnam", "darren", "friend"), ("shabnam", "kasia", "colleague"),
    ("shabnam", "leila", "friend"), ("tanya", "agnes", "colleague"),
    # carers and residents
    ("carol", "margaret", "neighbour"), ("carol", "pauline", "friend"), ("doreen", "stan", "neighbour"),
    ("hafsa", "pauline", "friend"), ("hafsa", "yvonne", "friend"), ("imran", "bernard", "friend"),
    ("imran", "margaret", "neighbour"), ("imran", "mick", "friend"), ("imran", "stan", "friend"),
    ("imran", "yvonne", "neighbour"), ("margaret", "doreen", "neighbour"), ("mick", "stan", "friend"),
    ("mick", "terry", "neighbour"), ("neil", "imran", "friend"), ("neil", "mick", "neighbour"),
    ("neil", "stan", "friend"), ("pauline", "doreen", "friend"), ("pauline", "margaret", "friend"),
    ("pauline", "mick", "friend"), ("pauline", "neil", "friend"), ("rob", "neil", "friend"),
    ("rob", "pauline", "friend"), ("terry", "margaret", "neighbour"), ("yvonne", "carol", "neighbour"),
    ("yvonne", "margaret", "neighbour"), ("yvonne", "rob", "friend"), ("yvonne", "terry", "neighbour"),
    # Sunita and Ruth, on both sides
    ("sunita", "agnes", "colleague"), ("sunita", "bernadette", "colleague"), ("sunita", "carol", "friend"),
    ("sunita", "darren", "friend"), ("sunita", "kasia", "colleague"), ("sunita", "mercy", "friend"),
    ("sunita", "neil", "friend"), ("sunita", "pauline", "friend"), ("sunita", "rob", "friend"),
    ("sunita", "stan", "friend"), ("sunita", "tanya", "colleague"), ("sunita", "yvonne", "friend"),
    ("ruth", "carol", "friend"), ("ruth", "imran", "friend"), ("ruth", "kasia", "mentor"),
    ("ruth", "leila", "mentor"), ("ruth", "neil", "friend"), ("ruth", "paolo", "mentor"),
    ("ruth", "pauline", "friend"), ("ruth", "rob", "friend"), ("ruth", "shabnam", "mentor"),
    ("ruth", "tanya", "mentor"), ("ruth", "yvonne", "friend"),
]
RELATIONSHIPS_AFTER = [
    ("arthur", "bernard", "neighbour"), ("bernard", "margaret", "neighbour"), ("carol", "hafsa", "neighbour"),
    ("joy", "darren", "friend"), ("lorraine", "shabnam", "colleague"), ("lorraine", "tanya", "colleague"),
    ("nasreen", "imran", "neighbour"), ("nasreen", "yvonne", "friend"),
    # Lorraine, now a carer too, and Leila, who helps carers she met at the first gathering
    ("leila", "carol", "friend"), ("leila", "hafsa", "friend"), ("leila", "nasreen", "friend"),
    ("lorraine", "hafsa", "friend"), ("lorraine", "imran", "friend"), ("lorraine", "neil", "friend"),
    ("lorraine", "pauline", "neighbour"), ("lorraine", "yvonne", "friend"),
]


class LabTalk(NamedTuple):
    """One conversation. notes: (story, cares about, gifts, concerns) or None for facts only;
    issues: (title, their words, theme keys); follow_up: (owner 0-2, due in days, what, done)."""

    day: int
    listener: int  # 0 Priya (the organiser persona) or 2 Fatima for care workers, 1 Joe for carers
    person: str
    method: str
    introduced_by: str | None
    level: int  # 1 (lowest) to 5 on the default ladder
    notes: tuple[str, str, str, str] | None
    issues: tuple[tuple[str, str, tuple[str, ...]], ...]
    suggested: tuple[str, ...] = ()
    follow_up: tuple[int, int, str, bool] | None = None


# key -> (name, description)
THEMES = {
    "travel": ("Unpaid travel time", "Time and money spent getting between visits, not paid."),
    "pay": ("Pay and conditions", "Wages, contracts, rotas, sick pay and staffing."),
    "respite": ("Respite for carers", "Breaks and support for unpaid carers."),
    "isolation": ("Isolation", "Care workers and carers cut off from others doing the same."),
    "transport": ("Transport", "Buses, lifts and getting to appointments and places."),
    "lonely": ("Loneliness of the people cared for", "People who are cared for with no one to talk to."),
}

# Up to THREE_MONTHS_AGO days the first snapshot is taken; later talks come after it.
THREE_MONTHS_AGO = -91
TALKS = [
    LabTalk(-150, 2, "agnes", "in_person", None, 2, (
        "Twelve years in home care. Started when her own dad needed help and never left.",
        "The people on her round: for some of them she is the only face they see all day.",
        "Knows every estate in Riverside; good at calming people down.",
        "Rotas change at a day's notice.",
    ), (
        ("Unpaid travel time",
         "We get paid for the minutes in the house, not the driving between. Some days "
         "that's two hours for nothing.", ("travel",)),
        ("Rotas changed at short notice",
         "You find out the night before that your Saturday's gone.", ("pay",)),
    ), ("bernadette", "kasia"), (2, -140, "Send Agnes the dates of the gatherings.", True)),
    LabTalk(-146, 2, "bernadette", "phone", "agnes", 1, (
        "Came from Ghana in 2015; worked in care homes, then home care.",
        "Her daughter's exams; getting proper breaks.",
        "Sings; used to lead a church choir.",
        "",
    ), (
        ("No paid breaks on long shifts",
         "Ten hours and the only sit-down is in the car, eating a sandwich between calls.", ("pay",)),
    ), ("shabnam",)),
    LabTalk(-143, 1, "rob", "in_person", None, 2, (
        "Has looked after his mum, who has dementia, since she moved in with him three years ago.",
        "Keeping his mum at home for as long as he can.",
        "Was a mechanic; fixes bikes and wheelchairs for the neighbours.",
        "His own health.",
    ), (
        ("No break from caring",
         "I haven't had a full night off in two years. The respite gets cancelled if "
         "there's no staff.", ("respite",)),
    ), ("pauline",), (1, -130, "Find out about the carers' sitting service for Rob.", True)),
    LabTalk(-140, 2, "kasia", "in_person", "agnes", 1, (
        "From Poland; six years in care, the last three at Brightwater.",
        "Being treated as a professional.",
        "Trained in moving and handling; could teach others.",
        "",
    ), (
        ("Unpaid travel time",
         "My petrol and my time between calls, nobody pays it. I worked it out: I get "
         "less than the minimum wage.", ("travel", "pay")),
    ), ("darren",)),
    LabTalk(-137, 1, "pauline", "in_person", "rob", 1, (
        "Cares for her husband Dennis since his stroke.",
        "Dennis's dignity; getting out of the house once a week.",
        "Knits; runs a stall at the church fair.",
        "Who would look after Dennis if she were ill.",
    ), (
        ("Carers cannot get a break",
         "If I'm ill, who looks after Dennis? Nobody has ever asked me that.", ("respite",)),
        ("Buses don't reach the hospital",
         "Two buses and an hour each way to his appointments, with the wheelchair.", ("transport",)),
    ), ("neil",)),
    LabTalk(-134, 1, "mick", "phone", None, 1, None, (
        ("Lives alone and rarely sees anyone", "", ("lonely",)),
    )),
    LabTalk(-131, 0, "darren", "phone", "kasia", 1, (
        "Has worked nights in supported living for nine years.",
        "Sleep; seeing his children at the weekend.",
        "Good with computers; set up the team's group chat.",
        "",
    ), (
        ("Sleep-in shifts paid a flat rate",
         "A sleep-in pays forty quid for ten hours. If you're up all night, it's still forty "
         "quid.", ("pay",)),
        ("Working alone at night",
         "On nights you've nobody to talk to about a bad shift. You just go home with it.", ("isolation",)),
    )),
    LabTalk(-128, 1, "neil", "in_person", "pauline", 1, (
        "Cares for his wife, who has MS; took early retirement to do it.",
        "Keeping his wife in touch with her friends.",
        "Drove buses for thirty years; knows the routes and the depot managers.",
        "",
    ), (
        ("Dial-a-ride hard to book",
         "You ring at eight and by five past all the slots for the week are gone.", ("transport",)),
    ), ("imran",)),
    LabTalk(-125, 1, "terry", "in_person", None, 2, (
        "Lives in Millbank Court; goes to the day centre twice a week.",
        "The day centre staying open.",
        "Tells a good story; remembers the docks when they were working.",
        "",
    ), (
        ("Day centre hours cut",
         "They've cut Friday. Friday was the one day I talked to anyone.", ("lonely",)),
    )),
    LabTalk(-122, 0, "leila", "video", None, 3, (
        "Personal assistant to two disabled people who employ her directly.",
        "Her employers' independence; fair pay for personal assistants.",
        "Speaks Arabic and French; helps neighbours with forms.",
        "",
    ), (
        ("Personal assistants have no sick pay",
         "If I'm off sick I'm not paid, and they're left without anyone. We both lose.", ("pay",)),
    ), ("paolo",), (0, -110, "Put Leila in touch with other personal assistants.", True)),
    LabTalk(-118, 1, "margaret", "in_person", None, 1, (
        "Has lived in Millbank Court since it opened; widowed last year.",
        "Her garden; the neighbours she has known for forty years.",
        "Grows tomatoes and gives the plants away.",
        "",
    ), (
        ("Nobody visits since the warden went",
         "Since they took the warden away, days go by and I don't speak to a soul.", ("lonely",)),
    )),
    LabTalk(-114, 2, "oksana", "in_person", None, 2, (
        "From Kharkiv; came in 2022 and started in care straight away.",
        "Her son settling at school; her English.",
        "A qualified nurse at home; teaches first aid.",
        "",
    ), (
        ("Qualifications not recognised",
         "I was a nurse for fifteen years. Here I am paid as a beginner.", ("pay",)),
        ("Travel time on the bus not paid",
         "Between calls I'm on the bus, forty minutes, and that time I'm not paid.", ("travel", "transport")),
    )),
    LabTalk(-110, 1, "bernard", "phone", None, 1, (
        "Eighty-one; lives alone on the top floor of Millbank Court, where the lift often breaks.",
        "His cat; the racing on the radio.",
        "Was a joiner; still likes to fix things if someone brings them.",
        "",
    ), (
        ("Stuck at home when the lift breaks",
         "When the lift's out I can't get down the stairs. Last time it was "
         "eleven days.", ("lonely", "transport")),
    )),
    LabTalk(-106, 1, "yvonne", "in_person", None, 1, (
        "Cares for her mother, who is losing her sight, and works part time in a shop.",
        "Not losing her job.",
        "Organised the street party; knows everyone on Wharf Street.",
        "",
    ), (
        ("Juggling work and caring",
         "My manager's kind but I've used all my leave on Mum's appointments.", ("respite",)),
    )),
    LabTalk(-101, 2, "mercy", "in_person", "ruth", 1, (
        "Senior carer in a care home for twenty years.",
        "Her residents getting out into the garden.",
        "Trains new starters; a great cook.",
        "",
    ), (
        ("Short staffing on every shift",
         "We're meant to be six on a floor. Most days we're four, and the residents wait.", ("pay",)),
    )),
    LabTalk(-96, 2, "lorraine", "phone", "bernadette", 1, (
        "Care worker at Brightwater for five years.",
        "More hours, so she can stop doing two jobs.",
        "Drives; has offered lifts to gatherings.",
        "",
    ), (
        ("Zero-hours contracts",
         "I never know my hours, so I can't plan anything, not even Mum's appointments.", ("pay",)),
    )),
    LabTalk(-88, 1, "imran", "in_person", "neil", 1, (
        "Cares for his autistic son with his wife; drives a taxi.",
        "His son getting the right school place.",
        "Speaks Urdu and Punjabi; offers lifts to appointments.",
        "",
    ), (
        ("No respite that fits",
         "The respite on offer is a care home bed. My son would be terrified.", ("respite",)),
    )),
    LabTalk(-85, 2, "shabnam", "phone", "bernadette", 1, None, (
        ("Unpaid travel time", "", ("travel",)),
    )),
    LabTalk(-82, 1, "sunita", "in_person", None, 5, (
        "Volunteers at the day centre and was a home care worker herself for ten years.",
        "Care workers and the families they visit being on the same side.",
        "Trusted by carers and by care workers; runs the day centre's craft group.",
        "",
    ), (
        ("Carers and care workers never meet",
         "The families blame the workers, the workers blame the families. Nobody's "
         "talking to each other.", ("isolation",)),
    ), ("lorraine", "pauline"), (0, 4, "Plan a joint coffee morning with Sunita.", False)),
    LabTalk(-79, 1, "carol", "in_person", "yvonne", 3, (
        "Chairs the tenants' association and cares for her brother, who has a learning disability.",
        "Millbank Court not being forgotten by the council.",
        "Chairs meetings; has the keys to the community room.",
        "",
    ), (
        ("Warden service withdrawn",
         "Since the warden went, nobody checks on the older tenants.", ("lonely",)),
    ), ("margaret", "bernard"), (1, -60, "Ask the council about the warden decision.", True)),
    LabTalk(-76, 0, "paolo", "video", "leila", 1, (
        "Personal assistant, studying social work part time.",
        "Making care a career people choose.",
        "Makes short films; offered to film people's stories.",
        "",
    ), (
        ("Care work not valued", "People say 'just a carer'. There's no 'just' about it.", ("pay",)),
    )),
    LabTalk(-73, 1, "ruth", "in_person", None, 4, (
        "Retired district nurse; trustee of the carers centre; mentors care workers.",
        "Carers and care workers being respected.",
        "Clinical knowledge; mentoring; writing to councillors.",
        "",
    ), (
        ("Carers burn out",
         "I see carers who haven't slept properly for years. Then they become patients "
         "themselves.", ("respite",)),
    ), ("mercy",), (0, 2, "Ask Ruth to co-host the next gathering.", False)),
    LabTalk(-70, 1, "doreen", "in_person", "margaret", 1, None, (
        ("Lift often broken", "", ("transport",)),
    )),
    LabTalk(-67, 0, "joy", "in_person", "mercy", 1, (
        "Works on the dementia unit of a care home.",
        "Residents' families being involved.",
        "Does residents' hair and nails on her days off.",
        "",
    ), (
        ("Low pay for skilled work",
         "Half the time I'm doing a nurse's job and I'm paid less than the supermarket.", ("pay",)),
    )),
    LabTalk(-64, 0, "agnes", "in_person", None, 3, (
        "Has started bringing colleagues to the gatherings.",
        "Getting travel time paid across Brightwater.",
        "Offered to collect travel time diaries from colleagues.",
        "",
    ), (
        ("Travel time diaries",
         "If we all write down our travel for a month, they can't say it isn't happening.", ("travel",)),
    ), (), (0, -50, "Print travel time diary sheets for Agnes.", True)),
    LabTalk(-60, 1, "hafsa", "video", "yvonne", 1, (
        "Nineteen; has cared for her mum since she was twelve; at college.",
        "Finishing her course.",
        "Designs posters and social media posts.",
        "",
    ), (
        ("Young carers missing out",
         "My friends go out, I go home and do Mum's tablets. Nobody at college knows.", ("isolation",)),
    )),
    LabTalk(-57, 2, "lorraine", "phone", "sunita", 2, (
        "Told Fatima she also cares for her mother most evenings; has joined the carers centre.",
        "Being a worker and a carer without burning out.",
        "Can explain each side to the other.",
        "",
    ), (
        ("Caring after a full shift",
         "I finish my calls at eight and then start on Mum. I'm a care worker twice a"
         " day.", ("respite", "pay")),
    ), ("pauline",), (0, 12, "Introduce Lorraine to the carers centre's evening group.", False)),
    LabTalk(-53, 2, "andrius", "in_person", "oksana", 1, (
        "From Lithuania; three years in care; learning to drive.",
        "Passing his driving test so he can take on the outlying rounds.",
        "Plays football; offered to start a five-a-side for care workers.",
        "",
    ), (
        ("No car, long journeys between calls",
         "Without a car I walk between calls, in the rain, and those minutes are"
         " not paid.", ("travel", "transport")),
    )),
    LabTalk(-49, 1, "stan", "in_person", "sunita", 1, (
        "Eighty-four; goes to the day centre when the minibus runs.",
        "The day centre minibus.",
        "Plays chess; would teach anyone.",
        "",
    ), (
        ("Day centre minibus cut",
         "Without the minibus I can't get there. It's the only place I go.", ("transport", "lonely")),
    )),
    LabTalk(-45, 1, "bernard", "in_person", "carol", 2, (
        "Carol introduced him to Margaret next door; he now goes to the Tuesday lunch.",
        "The Tuesday lunch.",
        "Mended the chairs in the community room.",
        "",
    ), (
        ("Alone in the evenings",
         "Lunch on Tuesday is grand, but I live alone and the evenings are long. Nobody visits, "
         "nobody to talk to till morning.", ()),
    )),
    LabTalk(-41, 0, "tanya", "video", "agnes", 2, (
        "Care coordinator at Brightwater; writes the rotas.",
        "Rotas that give people proper travel time.",
        "Knows how the rota software works and what the contracts say.",
        "",
    ), (
        ("Rotas built without travel time",
         "The system puts calls back to back, zero minutes between, even across town.", ("travel",)),
    ), (), (0, 10, "Meet Tanya about the rota rules.", False)),
    LabTalk(-37, 1, "pauline", "in_person", None, 3, (
        "Now runs a knitting circle for carers at the carers centre.",
        "Other carers getting a break.",
        "Runs the knitting circle.",
        "",
    ), (
        ("Sitting service waiting list",
         "Four months on the waiting list for the sitting service. Four months with no break from "
         "caring, no respite at all.", ()),
    )),
    LabTalk(-33, 2, "leila", "video", None, 5, (
        "Has started a group chat for personal assistants in Riverside.",
        "Personal assistants having a voice.",
        "Runs the personal assistants' group chat.",
        "",
    ), (
        ("Paid only for contact minutes",
         "My friend at an agency is paid only for the minutes in the house, so the travel between "
         "calls comes out of her pocket.", ()),
    )),
    LabTalk(-29, 2, "lee", "phone", "lorraine", 1, None, (
        ("Unpaid training", "", ("pay",)),
    )),
    LabTalk(-25, 1, "neil", "in_person", None, 4, (
        "Has mapped the bus routes that miss the hospital; wants to lead on transport.",
        "A bus route to the hospital.",
        "Bus routes; talking to the depot.",
        "",
    ), (
        ("Hospital appointments by bus",
         "Forty minutes for the bus, then the wait, then the walk up the hill with a wheelchair.", ()),
    )),
    LabTalk(-20, 1, "arthur", "in_person", "bernard", 1, (
        "Housebound since a fall; his daughter lives in Leeds.",
        "Getting out to the park once more.",
        "Was a railwayman; knows the history of the line.",
        "",
    ), (
        ("Housebound after a fall",
         "The carers come four times a day for fifteen minutes. That's an hour of company.", ("lonely",)),
    )),
    LabTalk(-15, 1, "nasreen", "phone", "lorraine", 1, None, (
        ("New to the area with no support", "", ("isolation",)),
    )),
    LabTalk(-11, 0, "kasia", "in_person", None, 3, (
        "Has collected fourteen travel time diaries from colleagues.",
        "Getting Brightwater's managers to meet the workers.",
        "Keeps the diaries; good with numbers.",
        "",
    ), (
        ("Working through lunch to make the calls",
         "If I stop to eat I'm late for the next lady, so I eat in the car between houses, and that's"
         " not paid either.", ()),
    )),
    LabTalk(-6, 1, "rob", "phone", None, 3, (
        "His mum now goes to the day centre twice a week; he has his Tuesdays back.",
        "Other carers knowing about the day centre.",
        "Offered to fix the day centre's wheelchairs.",
        "",
    ), (
        ("Carers don't know what's available",
         "I only found out about the day centre by chance. Nobody told me.", ("respite", "isolation")),
    ), (), (0, -1, "Send Rob the carers' guide.", False)),
    LabTalk(-2, 1, "margaret", "in_person", None, 2, (
        "Goes to the Tuesday lunch with Bernard now.",
        "Getting the warden back.",
        "Brings tomato plants for the lunch club.",
        "",
    ), (
        ("Warden service withdrawn", "We want a warden back. Someone who knocks on the door.", ("lonely",)),
    ), (), (1, 7, "Invite Margaret to the next gathering.", False)),
]


class LabAsset(NamedTuple):
    """place: "" (none), a postcode, or (latitude, longitude) in fictional Riverside; people and
    organisations by key (LAB_PEOPLE, LAB_ORGANISATIONS); issues by title."""

    name: str
    category: str
    status: str
    description: str
    place: str | tuple[float, float] = ""
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()


# Postcodes ending in Z-letters are not used by Royal Mail for homes; outward codes are real districts.
ASSETS = [
    LabAsset("Bike and wheelchair repairs", "individual", "exists", "Rob fixes bikes and wheelchairs.",
        people=("rob",)),
    LabAsset("Community singing", "individual", "exists", "Bernadette leads singing.",
        people=("bernadette",)),
    LabAsset("First aid teaching", "individual", "exists", "Oksana was a nurse and teaches first aid.",
        people=("oksana",)),
    LabAsset("Knowledge of the bus routes", "individual", "exists", "Thirty years driving Riverside's buses.",
        people=("neil",), issues=("Buses don't reach the hospital", "Dial-a-ride hard to book")),
    LabAsset("Knitting for beginners", "individual", "exists", "Pauline teaches knitting.",
        people=("pauline",)),
    LabAsset("Help with forms in Arabic and French", "individual", "exists",
        "Leila helps neighbours with forms.",
        people=("leila",)),
    LabAsset("Moving and handling training", "individual", "exists", "Kasia can train others.",
        people=("kasia",)),
    LabAsset("Posters and social media", "individual", "exists", "Hafsa designs posters.", people=("hafsa",)),
    LabAsset("Lifts to appointments", "individual", "exists", "Imran offers lifts in his taxi.",
        people=("imran",), issues=("Buses don't reach the hospital",)),
    LabAsset("Chess lessons", "individual", "exists", "Stan would teach anyone.", people=("stan",)),
    LabAsset("Riverside Care Workers Voice", "association", "exists", "Care workers meeting monthly.", "M5",
        organisations=("voice",), issues=("Unpaid travel time",)),
    LabAsset("Millbank Court Tenants Association", "association", "exists",
        "Meets in the community room.", (53.47912, -2.24733),
        organisations=("tenants",)),
    LabAsset("Tuesday lunch club", "association", "exists",
        "Lunch for older tenants at Millbank Court.", (53.47905, -2.24751),
        people=("margaret", "bernard"), issues=("Nobody visits since the warden went",)),
    LabAsset("Personal assistants' group chat", "association", "exists", "Started by Leila.",
        people=("leila",), issues=("Personal assistants have no sick pay",)),
    LabAsset("Wharf Street Residents Group", "association", "exists", "Organises the street party.", "M5 9ZT",
        people=("yvonne",)),
    LabAsset("Riverside Allotment Society", "association", "exists",
        "Forty plots by the river.", (53.48391, -2.23655)),
    LabAsset("Carers centre knitting circle", "association", "exists",
        "Pauline's circle, Thursday afternoons.",
        people=("pauline",), organisations=("carers_centre",), issues=("Carers cannot get a break",)),
    LabAsset("Riverside Day Centre", "institution", "exists",
        "The council's day centre.", (53.48127, -2.24402),
        organisations=("day_centre",), issues=("Day centre hours cut",)),
    LabAsset("Riverside Library", "institution", "exists",
        "Library with a meeting room.", (53.48288, -2.24115)),
    LabAsset("Riverside Medical Practice", "institution", "exists", "The GP surgery.", "M5 9ZS"),
    LabAsset("Riverside College", "institution", "exists", "Further education college.", (53.48602, -2.23812),
        issues=("Young carers missing out",)),
    LabAsset("Adult social care team", "institution", "exists", "The council's team for Riverside."),
    LabAsset("Brightwater Home Care", "institution", "exists", "A home care agency.", "M5 9ZY",
        organisations=("brightwater",)),
    LabAsset("Millbank Court warden service", "institution", "lost",
        "Withdrawn by the council last year.", (53.47912, -2.24733),
        issues=("Warden service withdrawn",)),
    LabAsset("Riverside Methodist Church", "institution", "exists",
        "Church with a warm space.", (53.48055, -2.24960)),
    LabAsset("Millbank Court community room", "physical", "exists",
        "A room with a kettle.", (53.47915, -2.24740),
        people=("carol",), organisations=("tenants",), issues=("Nobody visits since the warden went",)),
    LabAsset("Library meeting room", "physical", "exists",
        "Free for community groups.", (53.48290, -2.24118)),
    LabAsset("Riverside Community Centre hall", "physical", "exists",
        "Hall for a hundred people.", (53.48471, -2.24297)),
    LabAsset("Bandstand in Riverside Park", "physical", "exists",
        "Covered; used for summer music.", (53.48733, -2.24521)),
    LabAsset("Day centre garden", "physical", "exists", "Raised beds and benches.", (53.48122, -2.24410),
        organisations=("day_centre",)),
    LabAsset("Benches on Wharf Street", "physical", "exists",
        "Places to rest on the way to the shops.", "M5 9ZT"),
    LabAsset("Old swimming baths", "physical", "lost", "Closed in 2023."),
    LabAsset("Empty shop on Wharf Street", "physical", "suggested",
        "Could be a drop-in for carers.", "M5 9ZT"),
    LabAsset("Warm space at the Methodist church", "physical", "exists",
        "Open Monday to Friday in winter.", (53.48058, -2.24955),
        issues=("Alone in the evenings",)),
    LabAsset("Riverside Credit Union", "economic", "exists",
        "Savings and small loans.", (53.48201, -2.24022)),
    LabAsset("Community pantry", "economic", "exists", "Low-cost food, Wednesdays.", (53.48479, -2.24305)),
    LabAsset("Carers discount card", "economic", "exists", "Discounts in local shops for carers.",
        organisations=("carers_centre",)),
    LabAsset("Riverside Time Bank", "economic", "exists", "Swap hours of help."),
    LabAsset("Market hall traders", "economic", "exists",
        "Thirty stalls; some give to the pantry.", (53.48011, -2.23870)),
    LabAsset("Carers grants", "economic", "suggested", "The carers centre may have small grants for breaks.",
        organisations=("carers_centre",), issues=("No break from caring",)),
    LabAsset("Riverside Gospel Choir", "cultural", "exists", "Bernadette sings here.", (53.47988, -2.24589),
        people=("bernadette",)),
    LabAsset("Ukrainian Saturday school", "cultural", "exists", "Language and culture for children.", "M6",
        people=("oksana",)),
    LabAsset("Docks heritage walk", "cultural", "exists", "Terry's stories of the working docks.",
        people=("terry",)),
    LabAsset("Day centre craft group", "cultural", "exists", "Run by Sunita.",
        people=("sunita",), organisations=("day_centre",)),
    LabAsset("Polish Club", "cultural", "exists", "Social club and dances.", (53.48555, -2.24890)),
    LabAsset("Riverside Mela", "cultural", "exists", "Summer festival in the park.", (53.48740, -2.24530)),
    LabAsset("Riverside Park", "natural", "exists", "Park with a lake and a cafe.", (53.48725, -2.24512)),
    LabAsset("River path to the hospital", "natural", "exists",
        "A flat, lit path: twenty minutes' walk.", (53.48833, -2.23307),
        issues=("Buses don't reach the hospital",)),
    LabAsset("Community orchard", "natural", "exists",
        "Apple and plum trees; open to all.", (53.48402, -2.23641)),
    LabAsset("Millbank Court garden", "natural", "exists",
        "Margaret's tomatoes grow here.", (53.47920, -2.24760),
        people=("margaret",)),
    LabAsset("Canal towpath", "natural", "exists", "Quiet walking route.", (53.47702, -2.23501)),
    LabAsset("Wildflower meadow", "natural", "lost", "Built on in 2024."),
    LabAsset("Between the day centre and care workers", "connection", "exists", "Sunita knows both.",
        people=("sunita",),
        organisations=("day_centre", "voice"),
        issues=("Carers and care workers never meet",)),
    LabAsset("A line to the councillors", "connection", "exists", "Ruth writes to them and they answer.",
        people=("ruth",), issues=("Warden service withdrawn",)),
    LabAsset("A friend at the bus depot", "connection", "exists", "Neil knows the depot managers.",
        people=("neil",), issues=("Dial-a-ride hard to book",)),
    LabAsset("Both a carer and a care worker", "connection", "exists",
        "Lorraine can explain each side to the other.",
        people=("lorraine",), issues=("Carers and care workers never meet",)),
    LabAsset("Inside Brightwater's rota office", "connection", "exists", "Tanya writes the rotas.",
        people=("tanya",), organisations=("brightwater",), issues=("Rotas built without travel time",)),
]

# Suggested by members of the lab and waiting for an organiser: (suggested by, asset).
ASSET_SUGGESTIONS = [
    ("sunita", LabAsset("Care workers' five-a-side", "association", "suggested",
        "Andrius would like to start one.")),
    ("agnes", LabAsset("Brightwater staff room", "physical", "suggested",
        "Could host a monthly meeting.", "M5 9ZY")),
    ("sunita", LabAsset("Riverside bowls club", "association", "suggested",
        "Has a lawn and a clubhouse.", (53.48651, -2.24102))),
]
# fmt: on

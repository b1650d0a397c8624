"""The fictional people and groups of the demo. Any resemblance to real people is accidental."""

from carecommons.accounts.models import Role

DEMO_PASSWORD = "care-commons-demo"  # noqa: S105 -- demo only; refused when DEBUG is off

# persona -> (email, first name, last name, roles)
DEMO_ACCOUNTS: dict[str, tuple[str, str, str, list[Role]]] = {
    "convenor": ("convenor@example.org", "Grace", "Adeyemi", [Role.CONVENOR]),
    "facilitator": ("facilitator@example.org", "Tomasz", "Nowak", [Role.FACILITATOR]),
    "participant": ("participant@example.org", "Amara", "Okafor", [Role.PARTICIPANT]),
    "organiser": ("organiser@example.org", "Priya", "Raman", [Role.ORGANISER]),
    "treasurer": ("treasurer@example.org", "Declan", "Byrne", [Role.TREASURER]),
    "evaluator": ("evaluator@example.org", "Helen", "Marsh", [Role.EVALUATOR]),
    # Members of Northside Mutual Aid: their roles come from the group, not from the site.
    "member": ("member@example.org", "Jess", "Morgan", []),
    "approver": ("approver@example.org", "Ellen", "Price", []),
    "approver2": ("approver2@example.org", "Tariq", "Saeed", []),
}

LIVED_EXPERIENCE_LEADER = ("Marlene", "Johnson")

CURRICULUM = [
    (
        "Arriving and making it safe",
        "Agree how we look after each other; notice what brings us here.",
        "Notice one moment each day when you felt safe.",
    ),
    (
        "Our three systems: threat, drive and soothing",
        "Understand why our minds get stuck in threat.",
        "Soothing-rhythm breathing for three minutes a day.",
    ),
    (
        "Compassion flowing in",
        "Letting care in from others, and what gets in the way.",
        "Notice and write down one kindness you received.",
    ),
    (
        "Compassion for ourselves",
        "Building a compassionate self to turn to.",
        "A compassionate letter to yourself.",
    ),
    (
        "Compassion flowing out",
        "Caring for others without burning out.",
        "One act of care with a boundary you keep.",
    ),
    (
        "Harsh self-criticism and shame",
        "Meeting the inner critic with understanding.",
        "Catch the critic; answer in a kinder voice.",
    ),
    (
        "Radical self-care in our organisations",
        "Taking the practices back to our groups.",
        "Try one practice with your group.",
    ),
    ("Rippling out", "Communities and systems: where change is spreading.", "Map one ripple you have seen."),
]

PARTNERSHIP = ("Growing Cultures of Radical Caring", "charity", "Greater Manchester")
CARE_LAB = ("Riverside Care Lab", "other", "Salford")
MUTUAL_AID = ("Northside Mutual Aid", "mutual_aid", "North Manchester")

GRASSROOTS = [
    ("Cheetham Hill Women's Circle", "Cheetham Hill"),
    ("Levenshulme Food Friends", "Levenshulme"),
    ("Moss Side Men's Shed", "Moss Side"),
    ("Rusholme Refugee Welcome", "Rusholme"),
    ("Gorton Parents Together", "Gorton"),
    ("Longsight Deaf Social Club", "Longsight"),
    ("Ancoats Allotment Collective", "Ancoats"),
    ("Wythenshawe Young Carers", "Wythenshawe"),
    ("Hulme Recovery Cafe", "Hulme"),
    ("Ordsall Elders Lunch Club", "Ordsall"),
    ("Eccles Trans Community Group", "Eccles"),
    ("Openshaw Sewing Bee", "Openshaw"),
    ("Harpurhey Walking Group", "Harpurhey"),
    ("Old Trafford Somali Families", "Old Trafford"),
    ("Clayton Neighbours Network", "Clayton"),
]

# 30 cohort participants: two per grassroots group; the first is the demo participant account.
PARTICIPANTS = [
    ("Amara", "Okafor", "she/her"),
    ("Bilal", "Hussain", "he/him"),
    ("Chloe", "Whitfield", "she/her"),
    ("Dev", "Patel", "he/him"),
    ("Eilidh", "MacLeod", "she/her"),
    ("Faisal", "Rahman", "he/him"),
    ("Gwen", "Pritchard", "she/her"),
    ("Hamid", "Karimi", "he/him"),
    ("Ioana", "Popescu", "she/her"),
    ("Jamal", "Campbell", "he/him"),
    ("Kerry", "Doyle", "they/them"),
    ("Lina", "Haddad", "she/her"),
    ("Marcus", "Ellis", "he/him"),
    ("Nadia", "Begum", "she/her"),
    ("Owen", "Griffiths", "he/him"),
    ("Precious", "Mensah", "she/her"),
    ("Quinn", "Taylor", "they/them"),
    ("Rosa", "Fernandes", "she/her"),
    ("Samir", "Aziz", "he/him"),
    ("Tegan", "Hughes", "she/her"),
    ("Umar", "Farooq", "he/him"),
    ("Valentina", "Russo", "she/her"),
    ("Winston", "Clarke", "he/him"),
    ("Xin", "Li", "she/her"),
    ("Yusuf", "Abdi", "he/him"),
    ("Zara", "Ahmed", "she/her"),
    ("Aled", "Jones", "he/him"),
    ("Bronagh", "Kelly", "she/her"),
    ("Ciaran", "Walsh", "he/him"),
    ("Danuta", "Kowalska", "she/her"),
]

CARE_LAB_ORGANISERS = [("Priya", "Raman"), ("Joe", "Harrison"), ("Fatima", "Yilmaz")]
CARE_LAB_MEMBERS = [
    ("Agnes", "Boateng", "home care worker"),
    ("Rob", "Stanley", "carer for his mother"),
    ("Leila", "Nasser", "personal assistant"),
    ("Mick", "O'Neill", "resident"),
    ("Sunita", "Kaur", "day centre volunteer"),
    ("Terry", "Blake", "resident"),
    ("Oksana", "Melnyk", "care worker"),
    ("Ruth", "Adler", "retired nurse"),
]
MUTUAL_AID_MEMBERS = [
    ("Declan", "Byrne", "treasurer"),
    ("Sophie", "Turner", "coordinator"),
    ("Abdul", "Malik", "driver"),
    ("Jess", "Morgan", "volunteer"),
    ("Kwame", "Asante", "volunteer"),
    ("Ellen", "Price", "approver"),
    ("Tariq", "Saeed", "approver"),
    ("Maggie", "Dunn", "volunteer"),
]

WORDINGS = {
    "contact": "We would like to contact you by email or phone about sessions and gatherings you take "
    "part in. You can stop this at any time by telling us or changing it on your page.",
    "programme": "You are joining a programme of workshops and learning sets. We will keep a record "
    "of which sessions you attend and anything you choose to share with the facilitators.",
    "research": "With your agreement, your questionnaire answers will be used, without your name, by "
    "the evaluation team to understand what changes for people. Saying no does not affect your place.",
    "sharing": "We would like to share your name and contact details with the partner named below so "
    "they can invite you to their activities. They will not receive anything else.",
    "conversation": "When we talk one to one, the organiser would like to keep notes of what you say: your "
    "story, what you care about and what you could offer. Only the Care Lab's organisers can read them.",
    "quotes": "We would like to quote your words, without your name, when we share what people are "
    "saying about an issue. Say no and we will only count your concern, never quote it.",
}

"""Word lists for generated demo data. Combined at random, they make fictional people and groups."""

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Ada", "Adebayo", "Aditi", "Ahmed", "Aisha", "Ali", "Amara", "Amelia",
    "Amir", "Ana", "Anika", "Aoife", "Arjun", "Aryan", "Asha", "Ayesha", "Bartosz", "Beatrice",
    "Bilal", "Bronwen", "Callum", "Carys", "Chidi", "Chloé", "Ciara", "Connor", "Dafydd", "Daniel",
    "Deepa", "Dev", "Eilidh", "Elif", "Ellie", "Emeka", "Emre", "Esther", "Ewan", "Fatima",
    "Femi", "Finlay", "Fiona", "Freya", "Gareth", "Grace", "Gurpreet", "Hamza", "Hannah", "Harjit",
    "Harry", "Hassan", "Ifeoma", "Imran", "Iona", "Isla", "Ivan", "Jack", "Jamal", "Jasmine",
    "Jayden", "Joanna", "Kai", "Kemi", "Keira", "Kiran", "Kwame", "Lakshmi", "Layla", "Leah",
    "Lewis", "Liam", "Lowri", "Lucia", "Maja", "Malik", "Maria", "Mariam", "Marek", "Mary-Jane",
    "Maya", "Mehmet", "Mohammed", "Morag", "Nadia", "Naveen", "Niamh", "Nia", "Nkechi", "Noah",
    "Noor", "Oisín", "Olamide", "Oliver", "Olivia", "Omar", "Oskar", "Owen", "Priya", "Rahul",
    "Rania", "Rashid", "Rhys", "Rosa", "Ruby", "Rukhsana", "Sadia", "Samuel", "Sana", "Sean",
    "Seren", "Shanice", "Shreya", "Siân", "Sipho", "Sofia", "Somchai", "Stefan", "Sunita", "Tariq",
    "Tendai", "Thomas", "Tomasz", "Tyrone", "Wei", "Yasmin", "Yusuf", "Zainab", "Zara", "Zoë",
)  # fmt: skip

FAMILY_NAMES = (
    "Abara", "Achebe", "Ahmadi", "Akhtar", "Alvarez", "Anderson", "Appiah", "Asante", "Baker",
    "Banerjee", "Begum", "Bennett", "Bhatt", "Boateng", "Brennan", "Campbell", "Chaudhry", "Chen",
    "Chowdhury", "Clarke", "Costa", "Cunningham", "D'Souza", "Davies", "Demir", "Desai", "Dlamini",
    "Doherty", "Edwards", "Evans", "Farah", "Fernandes", "Fraser", "Gallagher", "Ghosh", "Gill",
    "Green", "Griffiths", "Gupta", "Hall", "Haque", "Hughes", "Hussain", "Ibrahim", "Iqbal",
    "Jackson", "James", "Jenkins", "Jones", "Kaur", "Kelly", "Khan", "Kowalski", "Kumar", "Lewandowska",
    "Li", "Lloyd", "MacDonald", "MacLeod", "Mahmood", "Malik", "Mensah", "Mistry", "Morgan", "Murphy",
    "Murray", "Mwangi", "Nagy", "Nguyen", "Ní Bhriain", "Novak", "Nowak", "O'Brien", "O'Connor",
    "Obi", "Odhiambo", "Okafor", "Okonkwo", "Oyelaran", "Özdemir", "Parekh", "Park", "Patel",
    "Pereira", "Phillips", "Popescu", "Powell", "Price", "Qureshi", "Rahman", "Reid", "Richards",
    "Roberts", "Robertson", "Rossi", "Santos", "Shah", "Sharma", "Singh", "Smith", "Smith-Jones",
    "Sokolova", "Stewart", "Sullivan", "Taylor", "Thomas", "Thompson", "Uddin", "Vaughan", "Walker",
    "Walsh", "Wang", "Watson", "Williams", "Wilson", "Wiśniewski", "Wright", "Yilmaz", "Young", "Zhang",
)  # fmt: skip

AREAS = (
    "Abbeyhill", "Aberdare", "Acton", "Anfield", "Ardwick", "Balsall Heath", "Barrowland", "Bedminster",
    "Beeston", "Bethnal Green", "Bramley", "Brixton", "Burngreave", "Canton", "Chapeltown", "Cheetham",
    "Clydebank", "Cowley", "Crookes", "Dalston", "Deptford", "Easton", "Edgbaston", "Everton",
    "Fishponds", "Gorbals", "Govan", "Grangetown", "Handsworth", "Harehills", "Heaton", "Hulme",
    "Jesmond", "Kensal Rise", "Kirkstall", "Lambeth", "Leith", "Levenshulme", "Longsight", "Meadowbank",
    "Moseley", "Moss Side", "Newington", "Normanton", "Openshaw", "Partick", "Peckham", "Pilton",
    "Plaistow", "Riverside", "Roath", "St Pauls", "Sparkbrook", "Splott", "Stockbridge", "Toxteth",
    "Tottenham", "Walthamstow", "Whitechapel", "Wythenshawe",
)  # fmt: skip

ORGANISATION_QUALIFIERS = (
    "North", "South", "East", "West", "Central", "Old Town", "Park", "Hill", "Valley", "Green",
)  # fmt: skip

# Written without apostrophes ("Mens Shed") for now: search indexes "Men's" inside a longer name as
# "men" and "s" but folds the typed word to "mens", so the full name would not find its people.
ORGANISATION_NOUNS = (
    "Allotment Society", "Befriending Service", "Bereavement Circle", "Carers Network", "Community Cafe",
    "Community Fridge", "Community Kitchen", "Community Larder", "Dementia Cafe", "Disability Forum",
    "Food Bank", "Gardening Club", "Hearing Voices Group", "Library of Things", "Lunch Club",
    "Mens Shed", "Mental Health Peer Support", "Mutual Aid", "Neighbourhood Forum", "Parent Circle",
    "Recovery College", "Refugee Welcome", "Repair Cafe", "Sanctuary Choir", "Sewing Circle",
    "Tenants Association", "Time Bank", "Walking Group", "Wellbeing Hub", "Womens Centre",
    "Youth Club", "Advice Centre", "Community Pantry", "Elders Forum", "Family Hub",
    "Good Neighbours", "Listening Service", "Men Talking", "Peer Support Collective", "Warm Space",
)  # fmt: skip

AFFILIATION_ROLES = ("member", "volunteer", "participant", "trustee", "coordinator", "founder")

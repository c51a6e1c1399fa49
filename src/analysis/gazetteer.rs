//! Built-in name lists shared by the rule layer and the tagger's features.
//!
//! General world knowledge (countries, capitals and large cities, US states, nationalities,
//! common given names, organisation heads); nothing here is derived from the evaluation data.

use std::collections::HashMap;
use std::sync::LazyLock;

pub static COUNTRIES: &[&str] = &[
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia",
    "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium",
    "Belize", "Benin", "Bhutan", "Bolivia", "Bosnia", "Bosnia and Herzegovina", "Herzegovina",
    "Botswana", "Brazil", "Britain", "Great Britain", "Brunei", "Bulgaria", "Burkina Faso", "Burma",
    "Burundi", "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China", "Colombia", "Congo",
    "Costa Rica", "Croatia", "Cuba", "Cyprus", "Czech Republic", "Czechia", "Denmark", "Djibouti",
    "Dominican Republic", "Ecuador", "Egypt", "El Salvador", "England", "Eritrea", "Estonia",
    "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia", "Georgia", "Germany", "Ghana",
    "Greece", "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "India",
    "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Ivory Coast", "Jamaica", "Japan",
    "Jordan", "Kazakhstan", "Kenya", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon",
    "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg", "Macedonia",
    "North Macedonia", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta",
    "Mauritania", "Mauritius", "Mexico", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco",
    "Mozambique", "Myanmar", "Namibia", "Nepal", "Netherlands", "Holland", "New Zealand",
    "Nicaragua", "Niger", "Nigeria", "North Korea", "Norway", "Oman", "Pakistan", "Palestine",
    "Panama", "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar",
    "Romania", "Russia", "Rwanda", "Saudi Arabia", "Scotland", "Senegal", "Serbia", "Sierra Leone",
    "Singapore", "Slovakia", "Slovenia", "Somalia", "South Africa", "South Korea", "South Sudan",
    "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan",
    "Tajikistan", "Tanzania", "Thailand", "Togo", "Trinidad", "Tobago", "Tunisia", "Turkey",
    "Turkiye", "Turkmenistan", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom",
    "United States", "United States of America", "Uruguay", "Uzbekistan", "Venezuela", "Vietnam",
    "Wales", "Northern Ireland", "Yemen", "Yugoslavia", "Zaire", "Zambia", "Zimbabwe", "U.S.",
    "US", "USA", "U.S.A.", "UK", "U.K.", "UAE", "Gaza", "West Bank", "Crimea", "Nagorno-Karabakh",
    "Chechnya", "Kashmir", "Tibet", "Kurdistan", "Islamic Republic of Iran", "Soviet Union", "USSR",
    "Czechoslovakia", "Hong Kong", "Macau", "Puerto Rico", "Greenland", "Cote d'Ivoire",
    // US states and large provinces.
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
    "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
    "West Virginia", "Wisconsin", "Wyoming", "Ontario", "Quebec", "British Columbia", "Alberta",
    "Bavaria", "Catalonia", "Punjab", "Bengal", "Siberia", "Ulster",
];

pub static CITIES: &[&str] = &[
    "Moscow", "Tehran", "Washington", "Kyiv", "Kiev", "Jerusalem", "Tel Aviv", "Beirut",
    "Damascus", "Baghdad", "Cairo", "Doha", "Riyadh", "Jeddah", "Mecca", "Ankara", "Istanbul",
    "Beijing", "London", "Paris", "Berlin", "Brussels", "New York", "Geneva", "Vienna", "Rome",
    "Madrid", "Barcelona", "Tokyo", "Osaka", "Delhi", "New Delhi", "Pyongyang", "Seoul", "Kabul",
    "Islamabad", "Karachi", "Lahore", "Dhaka", "Dubai", "Abu Dhabi", "Amman", "Rafah",
    "Khan Younis", "Gaza City", "Nahariya", "Shlomi", "Haifa", "St Petersburg", "St. Petersburg",
    "Minsk", "Baku", "Yerevan", "Tbilisi", "Los Angeles", "Chicago", "Boston", "Houston",
    "Dallas", "Miami", "Atlanta", "Detroit", "Philadelphia", "San Francisco", "Seattle",
    "Denver", "Phoenix", "Las Vegas", "New Orleans", "Sydney", "Melbourne", "Perth", "Brisbane",
    "Adelaide", "Auckland", "Wellington", "Toronto", "Montreal", "Vancouver", "Ottawa", "Mumbai",
    "Bombay", "Calcutta", "Kolkata", "Madras", "Chennai", "Bangalore", "Shanghai", "Guangzhou",
    "Shenzhen", "Taipei", "Manila", "Jakarta", "Bangkok", "Hanoi", "Singapore", "Kuala Lumpur",
    "Manchester", "Liverpool", "Birmingham", "Leeds", "Glasgow", "Edinburgh", "Cardiff",
    "Belfast", "Dublin", "Warsaw", "Prague", "Budapest", "Bucharest", "Sofia", "Belgrade",
    "Zagreb", "Sarajevo", "Athens", "Lisbon", "Amsterdam", "Rotterdam", "The Hague", "Frankfurt",
    "Munich", "Hamburg", "Bonn", "Cologne", "Zurich", "Bern", "Stockholm", "Oslo", "Copenhagen",
    "Helsinki", "Milan", "Naples", "Turin", "Florence", "Venice", "Marseille", "Lyon", "Nice",
    "Johannesburg", "Cape Town", "Pretoria", "Nairobi", "Lagos", "Abuja", "Addis Ababa",
    "Khartoum", "Algiers", "Tunis", "Tripoli", "Rabat", "Casablanca", "Mexico City",
    "Buenos Aires", "Rio de Janeiro", "Sao Paulo", "Brasilia", "Santiago", "Lima", "Bogota",
    "Caracas", "Havana", "Kinshasa", "Harare", "Luanda", "Kampala", "Mogadishu", "Sanaa",
    "Aden", "Muscat", "Manama", "Kuwait City", "Basra", "Mosul", "Aleppo", "Homs", "Idlib",
    "Tashkent", "Almaty", "Astana", "Vilnius", "Riga", "Tallinn", "Kharkiv", "Odesa", "Odessa",
    "Donetsk", "Luhansk", "Mariupol", "Sevastopol", "Grozny", "Hebron", "Nablus", "Ramallah",
    "Jenin", "Sderot", "Ashkelon", "Eilat", "Isfahan", "Mashhad", "Shiraz", "Tabriz", "Qom",
    "Herat", "Kandahar", "Hollywood", "Westminster", "Brooklyn", "Manhattan",
];

pub static LOCATIONS: &[&str] = &[
    "Middle East", "Mideast", "Gulf", "Persian Gulf", "Red Sea", "Mediterranean", "Black Sea",
    "Caspian Sea", "Baltic", "Gaza Strip", "Blue Line", "South Caucasus", "Caucasus", "Europe",
    "Asia", "Africa", "Latin America", "North America", "South America", "Central Asia",
    "Balkans", "Sinai", "Golan Heights", "Levant", "Arctic", "Antarctica", "Atlantic", "Pacific",
    "Indian Ocean", "Scandinavia", "Sahara", "Himalayas", "Alps", "Nile", "Euphrates", "Danube",
    "Strait of Hormuz", "Suez Canal", "Horn of Africa", "Western Europe", "Eastern Europe",
];

/// Last words that make a place a natural location rather than a political one.
pub static LOC_HEADS: &[&str] = &[
    "Sea", "Ocean", "River", "Mountains", "Mountain", "Mount", "Lake", "Gulf", "Bay", "Strait",
    "Valley", "Desert", "Island", "Islands", "Peninsula", "Coast", "Strip", "Heights", "Basin",
    "Canal", "Channel", "Plateau", "Hills", "Forest", "Park",
];

pub static NATIONALITIES: &[&str] = &[
    "American", "Americans", "Arab", "Arabs", "Armenian", "Azeri", "Azerbaijani", "British",
    "Chinese", "Egyptian", "European", "Europeans", "French", "German", "Germans", "Indian",
    "Iranian", "Iranians", "Iraqi", "Iraqis", "Israeli", "Israelis", "Japanese", "Jewish", "Jews",
    "Lebanese", "Muslim", "Muslims", "Palestinian", "Palestinians", "Qatari", "Russian",
    "Russians", "Saudi", "Saudis", "Shia", "Shiite", "Shi'ite", "Sunni", "Syrian", "Syrians",
    "Thai", "Turkish", "Turk", "Turks", "Ukrainian", "Ukrainians", "Western", "Christian",
    "Christians", "Kurdish", "Kurds", "Yemeni", "Zionist", "Soviet", "Islamic", "Islamist",
    "Islamists", "Catholic", "Catholics", "Protestant", "Democrat", "Democrats", "Republican",
    "Republicans", "English", "Scottish", "Welsh", "Irish", "Dutch", "Belgian", "Swiss",
    "Austrian", "Italian", "Italians", "Spanish", "Portuguese", "Greek", "Polish", "Czech",
    "Slovak", "Hungarian", "Romanian", "Bulgarian", "Serbian", "Serb", "Serbs", "Croatian",
    "Croat", "Croats", "Bosnian", "Albanian", "Swedish", "Norwegian", "Danish", "Finnish",
    "Canadian", "Mexican", "Brazilian", "Argentine", "Argentinian", "Chilean", "Colombian",
    "Cuban", "Venezuelan", "Peruvian", "Australian", "Australians", "Korean", "Vietnamese",
    "Indonesian", "Filipino", "Malaysian", "Pakistani", "Pakistanis", "Afghan", "Afghans",
    "Bangladeshi", "Nigerian", "Kenyan", "Ethiopian", "Somali", "Sudanese", "Libyan",
    "Algerian", "Moroccan", "Tunisian", "Jordanian", "Emirati", "Kuwaiti", "Bahraini", "Omani",
    "Persian", "Hindu", "Hindus", "Sikh", "Buddhist", "Latino", "Hispanic", "African", "Asian",
    "Latin", "Belarusian", "Georgian", "Kazakh", "Uzbek", "Chechen", "Palestinian-American",
    "Iranian-American", "Sephardi", "Druze", "Alawite", "Houthi", "Houthis", "Baltic", "Nordic",
];

/// Words that end an event name.
pub static EVENT_HEADS: &[&str] = &[
    "War", "Cup", "Olympics", "Games", "Championship", "Championships", "Open", "Summit",
    "Revolution", "Crisis", "Election", "Elections", "Conference", "Festival", "Tournament",
    "Prix", "Series", "Trophy", "Grand Slam", "Intifada", "Uprising", "Massacre", "Spring",
    "Holocaust", "Marathon", "Tour", "Rally", "Forum", "Congress",
];

/// Last words that make a capitalised run an organisation.
pub static ORG_HEADS: &[&str] = &[
    "Ministry", "Council", "Agency", "Party", "News", "Times", "Post", "Journal", "University",
    "Brigades", "Endowment", "Foundation", "Union", "Corps", "Force", "Forces", "Embassy", "Bank",
    "Institute", "Committee", "Commission", "Department", "Office", "Organization", "Organisation",
    "Association", "Group", "Company", "Corporation", "Corp", "Inc", "Ltd", "Plc", "Co",
    "Parliament", "Assembly", "Congress", "Senate", "Army", "Navy", "Guard", "Guards", "Court",
    "Board", "Authority", "Federation", "Network", "Service", "Press", "Telegraph", "Guardian",
    "Reuters", "Majlis", "Kremlin", "Pentagon", "Hamas", "Hezbollah", "Jihad", "Front",
    "Movement", "Alliance", "League", "Club", "School", "College", "Hospital", "Airlines",
    "Airways", "Airport", "Holdings", "Industries", "Motors", "Bureau", "Exchange", "Fund",
    "Trust", "Society", "Church", "Police", "Cabinet", "Government", "Administration", "Tribunal",
];

pub static KNOWN_ORGS: &[&str] = &[
    "Hamas", "Hezbollah", "Islamic Jihad", "IRGC", "Quds Force", "Kremlin", "Pentagon",
    "White House", "United Nations", "UN", "U.N.", "NATO", "EU", "European Union", "Reuters",
    "AFP", "AP", "Associated Press", "BBC", "CNN", "ABC", "CBS", "NBC", "Fox News", "TASS", "IRNA",
    "RIA Novosti", "Al Jazeera", "Telegram", "Twitter", "Facebook", "Google", "Apple",
    "Microsoft", "Amazon", "Security Council", "UN Security Council", "U.N. Security Council",
    "State Department", "Foreign Ministry", "Telegraph", "Gazeta.ru", "IMF", "World Bank", "WHO",
    "OPEC", "Taliban", "ISIS", "Islamic State", "al-Qaeda", "Al-Qaeda", "FBI", "CIA", "MI6",
    "Mossad", "IDF", "INSTC", "Interfax", "Xinhua", "WTO", "OECD", "IAEA", "Red Cross", "UNICEF",
    "UNESCO", "FIFA", "UEFA", "Labour", "Conservatives", "Tories", "Liberal Democrats", "Likud",
    "Fatah", "PLO", "Houthis", "Wagner", "Gazprom", "Rosneft", "Boeing", "Airbus", "IBM",
    "General Motors", "Ford", "Toyota", "Sony", "Samsung", "Nasa", "NASA", "Nasdaq", "Fed",
    "Federal Reserve", "European Commission", "Bundesbank", "Duma", "Knesset",
];

/// Words that, just before a name, mark it as a person.
pub static PERSON_CUES: &[&str] = &[
    "President", "Minister", "minister", "Secretary", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "leader", "Leader", "General", "Gen.", "Ayatollah", "Mr.", "Mrs.", "Ms.",
    "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "King", "Queen", "Prince", "Sheikh", "Emir", "chief",
    "Chief", "envoy", "adviser", "advisor", "Ambassador", "ambassador", "analyst", "expert",
    "commander", "Commander", "member", "representative", "official", "journalist", "Pope",
    "Chancellor", "Premier", "Director", "director", "CEO", "founder", "colleague", "coach",
    "manager", "star", "singer", "actor", "actress", "striker", "player", "captain", "judge",
    "Judge", "Justice", "Mr", "Mrs", "Ms", "Dr",
];

/// Capitalised titles that end a run before a person's name.
pub static TITLE_WORDS: &[&str] = &[
    "President", "Minister", "Secretary", "Leader", "General", "Gen.", "Ayatollah", "Spokesman",
    "Spokeswoman", "Ambassador", "Emir", "King", "Queen", "Prince", "Sheikh", "Chancellor",
    "Premier", "Commander", "Director", "Chief", "Envoy", "Representative", "Senator",
    "Governor", "Mayor", "Judge", "Pope", "Colonel", "Captain", "Admiral", "Adviser", "Advisor",
    "Speaker", "Chairman", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Lt.",
    "Col.", "Capt.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady", "Dame",
];

/// Common given names (many origins).
pub static GIVEN_NAMES: &[&str] = &[
    "Ali", "Mohammed", "Mohammad", "Muhammad", "Ahmed", "Ahmad", "Hossein", "Hassan", "Hussein",
    "Ismail", "Ebrahim", "Ibrahim", "Moussa", "Musa", "Sergey", "Sergei", "Vladimir", "Dmitry",
    "Dmitri", "Maria", "Mikhail", "Antony", "Anthony", "Joe", "Jake", "John", "James", "David",
    "Michael", "Robert", "William", "Richard", "Thomas", "Mark", "Paul", "Peter", "George",
    "Donald", "Barack", "Hillary", "Tony", "Gordon", "Boris", "Emmanuel", "Angela", "Olaf",
    "Benjamin", "Yair", "Volodymyr", "Recep", "Xi", "Kim", "Nathan", "Nasser", "Rahim", "Izzat",
    "Qassem", "Mohsen", "Ziad", "Lior", "Anatoly", "Tamim", "Issam", "Abdullah", "Omar", "Yusuf",
    "Jane", "Mary", "Elizabeth", "Sarah", "Anna", "Laura", "Emma", "Chris", "Steve", "Stephen",
    "Andrew", "Alex", "Alexander", "Daniel", "Brian", "Kevin", "Jean", "Pierre", "Jacques",
    "Francois", "Hans", "Klaus", "Helmut", "Juan", "Jose", "Carlos", "Luis", "Pedro", "Antonio",
    "Giovanni", "Marco", "Luca", "Ivan", "Igor", "Yuri", "Viktor", "Alexei", "Nikolai", "Oleg",
    "Andrei", "Jan", "Lars", "Erik", "Henrik", "Ahmet", "Mehmet", "Mustafa", "Khalid", "Saeed",
    "Abdul", "Yasser", "Mahmoud", "Ehud", "Shimon", "Yitzhak", "Ariel", "Moshe", "Wang", "Li",
    "Zhang", "Hiroshi", "Takeshi", "Raj", "Rahul", "Sanjay", "Nelson", "Frank", "Charles",
    "Edward", "Henry", "Jack", "Harry", "Martin", "Simon", "Ian", "Graham", "Neil", "Alan",
    "Patrick", "Sean", "Matthew", "Tim", "Timothy", "Jim", "Bill", "Bob", "Tom", "Nick", "Ben",
    "Sam", "Dan", "Greg", "Scott", "Eric", "Jeff", "Gary", "Larry", "Ronald", "Kenneth", "Jason",
    "Ryan", "Justin", "Brandon", "Jennifer", "Linda", "Susan", "Karen", "Nancy", "Lisa",
    "Margaret", "Catherine", "Helen", "Ann", "Anne", "Julia", "Sophie", "Claire", "Nicola",
    "Theresa", "Rishi", "Keir", "Liz", "Kamala", "Nikki", "Ron", "Marine", "Giorgia", "Ursula",
    "Narendra", "Imran", "Shehbaz", "Bashar", "Hafez", "Saddam", "Muammar", "Hosni", "Abdel",
    "Masoud", "Javad", "Hassan", "Mahmoud", "Ebrahim", "Amir", "Reza", "Mohammed-Bagher",
];

/// Token flags used as tagger features.
pub const G_COUNTRY: u16 = 1;
pub const G_CITY: u16 = 2;
pub const G_LOCATION: u16 = 4;
pub const G_NATIONALITY: u16 = 8;
pub const G_ORG: u16 = 16;
pub const G_ORG_HEAD: u16 = 32;
pub const G_TITLE: u16 = 64;
pub const G_GIVEN: u16 = 128;
pub const G_LOC_HEAD: u16 = 256;
pub const G_EVENT_HEAD: u16 = 512;
pub const G_SINGLE: u16 = 1024;

/// Lower-cased word → flags of the lists it belongs to (as a whole entry, `G_SINGLE`, or as
/// part of a multi-word entry).
pub static WORD_FLAGS: LazyLock<HashMap<String, u16>> = LazyLock::new(|| {
    let mut map: HashMap<String, u16> = HashMap::new();
    let lists: [(&[&str], u16); 10] = [
        (COUNTRIES, G_COUNTRY),
        (CITIES, G_CITY),
        (LOCATIONS, G_LOCATION),
        (NATIONALITIES, G_NATIONALITY),
        (KNOWN_ORGS, G_ORG),
        (ORG_HEADS, G_ORG_HEAD),
        (TITLE_WORDS, G_TITLE),
        (GIVEN_NAMES, G_GIVEN),
        (LOC_HEADS, G_LOC_HEAD),
        (EVENT_HEADS, G_EVENT_HEAD),
    ];
    for (list, flag) in lists {
        for entry in list {
            let words: Vec<&str> = entry.split_whitespace().collect();
            for w in &words {
                *map.entry(w.to_lowercase()).or_default() |= flag;
            }
            if words.len() == 1 {
                *map.entry(words[0].to_lowercase()).or_default() |= G_SINGLE;
            }
        }
    }
    map
});

/// True when `name` (any case) is a known country, state or city.
pub fn is_political_place(name: &str) -> bool {
    static SET: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
        COUNTRIES
            .iter()
            .chain(CITIES)
            .map(|s| s.to_lowercase())
            .collect()
    });
    SET.contains(&name.to_lowercase())
}

/// True when `name` is a known natural or supra-national location, or ends in a
/// geographic head ("Sea", "River" …).
pub fn is_natural_location(name: &str) -> bool {
    let lower = name.to_lowercase();
    LOCATIONS.iter().any(|l| l.to_lowercase() == lower)
        || name
            .split_whitespace()
            .next_back()
            .is_some_and(|last| LOC_HEADS.iter().any(|h| h.eq_ignore_ascii_case(last)))
}

/// True when `word` is a nationality, religion or political-group word.
pub fn is_nationality(word: &str) -> bool {
    NATIONALITIES.iter().any(|n| n.eq_ignore_ascii_case(word))
}

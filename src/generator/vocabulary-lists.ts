/**
 * Word lists the generator draws names from: song titles, artists, places, listeners and their browsers.
 * Made up or generic on purpose; the user agents and metro areas are the ones eventsim uses in the public
 * sample, so a query on "which browsers" gives familiar answers.
 */

/** Words for song titles and band names (capitalised as titles are in the Million Song Dataset). */
export const TITLE_WORDS: readonly string[] = (
  'Love Heart Night Day Light Dark Fire Rain Summer Winter Blue Red Gold Silver Stone River Ocean Sky Star ' +
  'Moon Sun Dream Dreams Road Home Away Time Life World Girl Boy Baby Song Dance Music Radio City Street ' +
  'Train Highway Angel Devil Ghost Shadow Mirror Window Door Garden Forest Mountain Valley Desert Island ' +
  'Paradise Heaven Hell Wild Free Lonely Broken Golden Electric Crazy Sweet Bitter Little Big Old New Last ' +
  'First Lost Found Falling Rising Running Walking Waiting Burning Dancing Dying Living Loving Crying ' +
  'Flying Sleeping Tonight Tomorrow Yesterday Forever Never Again Alone Together Slow Fast Deep High Low ' +
  'Cold Hot Soul Blues Jazz Rock Roll Funk Groove Beat Rhythm Echo Thunder Storm Wind Snow Ice Smoke Dust ' +
  'Bones Blood Tears Kiss Eyes Hands Voice Whisper Secret Promise Memory Story Letter Name Place Train ' +
  'Machine Engine Rocket Satellite Planet Galaxy Universe Empire Kingdom Castle Queen King Prince Soldier ' +
  'Sailor Stranger Lover Friend Brother Sister Mother Father Child Children Morning Evening Midnight Sunday ' +
  'Monday Friday Saturday September October December Paper Glass Diamond Velvet Silk Honey Sugar Candy ' +
  'Cherry Lemon Coffee Whiskey Wine Money Trouble Danger Freedom Chance Change Magic Mystery Wonder Glory ' +
  'Victory Revolution Motion Emotion Station Nation Vision Fever Sister Number Zero One Two Three Seven'
).split(' ');

/** Small words that make titles read like titles. */
export const LINK_WORDS: readonly string[] = ['Of', 'In', 'On', 'For', 'With', 'To', 'And', 'The', 'My', 'Your', 'A'];

/** Title suffixes seen all over the Million Song Dataset. */
export const TITLE_SUFFIXES: readonly string[] = [
  '(Album Version)',
  '(Live)',
  '(Remix)',
  '(Radio Edit)',
  '(Acoustic)',
  '(Demo)',
  '(Remastered)',
  '(Extended Mix)',
  '(LP Version)',
  '(Instrumental)',
  '- Live',
  '(Original Mix)',
];

/** Titles with apostrophes: in the logs some of them arrive with `\u0019` instead of `'`. */
export const APOSTROPHE_TITLES: readonly string[] = [
  "Don't Stop",
  "Howlin' For You",
  "Rock 'n' Roll Tonight",
  "I Can't Wait",
  "Nothin' But Love",
  "It's Over",
  "Won't Back Down",
  "Livin' On The Edge",
  "She's Gone",
  "You're The One",
  "Ain't No Sunshine Here",
  "Mother's Day",
  "Rockin' Robin Blues",
  "I'm Still Here",
  "Let's Dance Again",
  "Lovin' You Baby",
  "We'll Meet Again",
  "The Kids Don't Care",
  "Didn't Mean It",
  "Goin' Home",
];

/** Names with non-ASCII letters (Latin-1): escaped in song files, double-encoded (mojibake) in the logs. */
export const NON_ASCII_WORDS: readonly string[] = [
  'Café',
  'Mañana',
  'Corazón',
  'Canção',
  'Été',
  'Noël',
  'Fräulein',
  'Größe',
  'Sjöberg',
  'Müller',
  'Björn',
  'Sørensen',
  'Åsa',
  'Zoë',
  'Chloé',
  'José',
  'Renée',
  'Núñez',
  'Gonçalves',
  'Håkansson',
  'Déjà Vu',
  'Señorita',
  'Niño',
  'Québec',
  'Århus',
  'Ísland',
  'Mélodie',
  'Rêverie',
  'Garçon',
  'Über Alles',
  'Sincérité',
  'Représente',
  'Tähtien',
  'Ça Va',
  '¿Dónde Estás?',
  'Olé',
  'Aurélie',
  'Jürgen',
  'Françoise',
  'Bärenstark',
  'Lágrimas',
  'Pequeña',
  'Acción',
  'Mötley',
  'Héroes',
  'Ñandú',
  'Cœur',
  'Île',
];

/** First names of listeners, by gender as eventsim writes it. */
export const FIRST_NAMES: { readonly F: readonly string[]; readonly M: readonly string[] } = {
  F: (
    'Kaylee Lily Jacqueline Chloe Tegan Aleena Jayden Kinsley Layla Maya Ava Sara Cecilia Anabelle ' +
    'Rylan Kira Katherine Stefany Emily Jizelle Sienna Jordyn Lucero Madison Hannah Harper Brooklyn ' +
    'Isabella Olivia Sophia Mia Amelia Evelyn Abigail Ella Scarlett Grace Victoria Riley Aria Zoey Nora ' +
    'Camila Hazel Aurora Savannah Audrey Bella Claire Skylar Lucy Paisley Naomi Elena Ruby Alice'
  ).split(' '),
  M: (
    'Walter Ryan Tucker Wyatt Sebastian Caden Aiden Connar Theodore Jack Kevin Liam Noah Elijah Lucas ' +
    'Mason Logan Ethan Jacob Michael Daniel Henry Jackson Samuel David Joseph Carter Owen Dylan Luke ' +
    'Gabriel Anthony Isaac Grayson Julian Levi Christopher Joshua Andrew Lincoln Mateo Jaxon Nathan ' +
    'Caleb Hunter Christian Eli Isaiah Thomas Aaron Charles Jeremiah Cameron Josiah Adrian Colton Jordan'
  ).split(' '),
};

/** Last names of listeners and of solo artists. */
export const LAST_NAMES: readonly string[] = (
  'Frye Summers Koch Cruz Perez Jones Williams Johnson Brown Davis Miller Wilson Moore Taylor Anderson ' +
  'Thomas Jackson White Harris Martin Thompson Garcia Martinez Robinson Clark Rodriguez Lewis Lee Walker ' +
  'Hall Allen Young Hernandez King Wright Lopez Hill Scott Green Adams Baker Gonzalez Nelson Carter ' +
  'Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Sanchez Morris Rogers ' +
  'Reed Cook Morgan Bell Murphy Bailey Rivera Cooper Richardson Cox Howard Ward Torres Peterson Gray ' +
  'Ramirez James Watson Brooks Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins ' +
  'Perry Powell Long Patterson Hughes Flores Washington Butler Simmons Foster Gonzales Bryant Alexander'
).split(' ');

/** Artist locations of song_data, with the coordinates the Million Song Dataset gives them. */
export const ARTIST_PLACES: readonly { readonly name: string; readonly lat: number; readonly lon: number }[] = [
  { name: 'Nashville, TN.', lat: 36.16778, lon: -86.77836 },
  { name: 'California - SF', lat: 37.77916, lon: -122.42005 },
  { name: 'California - LA', lat: 34.05349, lon: -118.24532 },
  { name: 'New York, NY', lat: 40.71455, lon: -74.00712 },
  { name: 'London, England', lat: 51.50632, lon: -0.12714 },
  { name: 'Chicago, IL', lat: 41.88415, lon: -87.63241 },
  { name: 'Seattle, Washington USA', lat: 47.60356, lon: -122.32944 },
  { name: 'Toronto, Ontario, Canada', lat: 43.64856, lon: -79.38533 },
  { name: 'Denmark', lat: 56.27609, lon: 9.51695 },
  { name: 'Memphis, TN', lat: 35.14968, lon: -90.04892 },
  { name: 'Orlando, FL', lat: 28.53823, lon: -81.37739 },
  { name: 'Fort Worth, TX', lat: 32.74863, lon: -97.32925 },
  { name: 'Detroit, MI', lat: 42.33168, lon: -83.04792 },
  { name: 'Atlanta, GA', lat: 33.7629, lon: -84.42259 },
  { name: 'Manchester, England', lat: 53.4796, lon: -2.24881 },
  { name: 'Paris, France', lat: 48.85692, lon: 2.34121 },
  { name: 'Berlin, Germany', lat: 52.51607, lon: 13.37698 },
  { name: 'Stockholm, Sweden', lat: 59.33217, lon: 18.06243 },
  { name: 'Reykjavík, Iceland', lat: 64.13548, lon: -21.89541 },
  { name: 'São Paulo, Brazil', lat: -23.56288, lon: -46.65466 },
  { name: 'Montréal, Québec, Canada', lat: 45.51228, lon: -73.55439 },
  { name: 'Kingston, Jamaica', lat: 17.99702, lon: -76.79358 },
  { name: 'Dublin, Ireland', lat: 53.34376, lon: -6.24953 },
  { name: 'Melbourne, Australia', lat: -37.81753, lon: 144.96715 },
  { name: 'Texas', lat: 31.1689, lon: -100.07715 },
  { name: 'Ohio', lat: 40.41998, lon: -82.90712 },
  { name: 'Georgia', lat: 32.67828, lon: -83.22295 },
  { name: 'Pennsylvania', lat: 40.99471, lon: -77.60454 },
  { name: 'New Orleans, LA', lat: 29.95369, lon: -90.07771 },
  { name: 'Brooklyn, NY', lat: 40.65507, lon: -73.94888 },
  { name: 'Glasgow, Scotland', lat: 55.85712, lon: -4.24251 },
  { name: 'Tokyo, Japan', lat: 35.68326, lon: 139.80894 },
  { name: 'Mexico City, Mexico', lat: 19.43261, lon: -99.13321 },
  { name: 'Hamilton, Ohio', lat: 39.39967, lon: -84.56133 },
  { name: 'New York, NY [Manhattan]', lat: 40.7038, lon: -73.83168 },
];

/** Where listeners are: the metro areas eventsim uses (the `location` field of the logs). */
export const LISTENER_METROS: readonly string[] = [
  'San Francisco-Oakland-Hayward, CA',
  'Phoenix-Mesa-Scottsdale, AZ',
  'New York-Newark-Jersey City, NY-NJ-PA',
  'Los Angeles-Long Beach-Anaheim, CA',
  'Chicago-Naperville-Elgin, IL-IN-WI',
  'Atlanta-Sandy Springs-Roswell, GA',
  'Houston-The Woodlands-Sugar Land, TX',
  'Dallas-Fort Worth-Arlington, TX',
  'Lansing-East Lansing, MI',
  'Waterloo-Cedar Falls, IA',
  'Tampa-St. Petersburg-Clearwater, FL',
  'Portland-South Portland, ME',
  'Seattle-Tacoma-Bellevue, WA',
  'Miami-Fort Lauderdale-West Palm Beach, FL',
  'Detroit-Warren-Dearborn, MI',
  'Boston-Cambridge-Newton, MA-NH',
  'Philadelphia-Camden-Wilmington, PA-NJ-DE-MD',
  'Red Bluff, CA',
  'Birmingham-Hoover, AL',
  'Janesville-Beloit, WI',
  'Winston-Salem, NC',
  'Klamath Falls, OR',
  'Atlanta-Sandy Springs-Roswell, GA',
  'Chicago-Naperville-Elgin, IL-IN-WI',
  'Lake Havasu City-Kingman, AZ',
  'Columbia, SC',
  'Tucson, AZ',
  'Santa Maria-Santa Barbara, CA',
  'Marinette, WI-MI',
  'Dallas-Fort Worth-Arlington, TX',
  'Myrtle Beach-Conway-North Myrtle Beach, SC-NC',
  'Sacramento--Roseville--Arden-Arcade, CA',
  'Washington-Arlington-Alexandria, DC-VA-MD-WV',
  'Minneapolis-St. Paul-Bloomington, MN-WI',
  'Denver-Aurora-Lakewood, CO',
  'Salinas, CA',
  'Augusta-Richmond County, GA-SC',
  'Ogden-Clearfield, UT',
];

/** Browsers of listeners with their weight in the public sample; eventsim quoted the ones with a comma. */
export const USER_AGENTS: readonly { readonly agent: string; readonly weight: number }[] = [
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
    weight: 11,
  },
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2',
    weight: 8,
  },
  { agent: 'Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0', weight: 8 },
  {
    agent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36',
    weight: 6,
  },
  { agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36', weight: 6 },
  { agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0', weight: 5 },
  { agent: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36', weight: 5 },
  { agent: 'Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', weight: 5 },
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4',
    weight: 4,
  },
  { agent: 'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0', weight: 4 },
  { agent: 'Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', weight: 3 },
  {
    agent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53',
    weight: 3,
  },
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
    weight: 2,
  },
  { agent: 'Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36', weight: 2 },
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36',
    weight: 1.5,
  },
  {
    agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36',
    weight: 1,
  },
  { agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:30.0) Gecko/20100101 Firefox/30.0', weight: 1 },
  { agent: 'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:32.0) Gecko/20100101 Firefox/32.0', weight: 0.5 },
  { agent: 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', weight: 0.5 },
  { agent: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.103 Safari/537.36', weight: 0.5 },
  { agent: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)', weight: 0.3 },
  { agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/538.46 (KHTML, like Gecko) Version/8.0 Safari/538.46', weight: 0.3 },
  { agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0', weight: 0.2 },
];

/**
 * The 80 negative life events of the bundled synthetic study, in two alternating lists of 40
 * (A and B), and 40 positive ones (lists PA and PB) for simulated designs with positive events.
 * The base rates are the project's own round figures (percent chance over a lifetime in a general
 * adult population), written for the simulation: they are plausible magnitudes, not published
 * statistics, and must not be cited as such.
 */
export interface LifeEvent {
  event_id: string;
  list: "A" | "B" | "PA" | "PB";
  label: string;
  base_rate: number;
}

const A: [string, number][] = [
  ["Car accident", 54], ["Burglary of your home", 38], ["Losing your wallet", 60], ["Broken bone", 58],
  ["Food poisoning", 66], ["Skin cancer", 28], ["Divorce", 51], ["Unemployment for six months", 32],
  ["Kidney stones", 25], ["Being bitten by a dog", 35], ["Chronic back pain", 62], ["Type 2 diabetes", 39],
  ["Heart attack", 31], ["Hearing loss", 48], ["Identity theft", 29], ["Migraine", 41],
  ["Home flooding", 22], ["Tinnitus", 34], ["Asthma", 24], ["Bankruptcy", 20],
  ["Stroke", 30], ["Cataracts", 55], ["Gallstones", 28], ["Being robbed in the street", 26],
  ["Knee surgery", 36], ["Pneumonia", 44], ["Shingles", 48], ["Losing your job", 42],
  ["Lung cancer", 19], ["Glaucoma", 21], ["Severe sunburn", 70], ["Osteoporosis", 32],
  ["Hip fracture", 24], ["Tooth loss", 65], ["House fire", 18], ["Allergy to a medicine", 40],
  ["Varicose veins", 46], ["Hernia", 35], ["Bicycle accident", 39], ["Mugging", 21],
];
const B: [string, number][] = [
  ["Being in a plane delay of a day", 56], ["Phone stolen", 49], ["Sprained ankle", 68], ["Car theft", 25],
  ["Breast or prostate cancer", 26], ["Thyroid disease", 29], ["Appendicitis", 20], ["Eczema", 31],
  ["Being cheated by a partner", 45], ["Serious debt", 36], ["High blood pressure", 59], ["Depression after bereavement", 40],
  ["Alzheimer's disease", 22], ["Cavity needing a root canal", 61], ["Sleep apnoea", 30], ["Being sued", 19],
  ["Colon cancer", 16], ["Arthritis", 52], ["Hepatitis", 15], ["Losing your home keys", 69],
  ["Whiplash injury", 28], ["Chronic fatigue", 21], ["Psoriasis", 18], ["Scam by phone", 34],
  ["Parkinson's disease", 14], ["Vision loss in one eye", 20], ["Anaemia", 38], ["Burned by boiling water", 32],
  ["Ulcer", 24], ["Being fired", 35], ["Concussion", 42], ["Dementia of a parent", 50],
  ["Bladder infection", 64], ["Lyme disease", 16], ["Falling down stairs", 45], ["Work injury", 39],
  ["Tendonitis", 41], ["Chronic insomnia", 48], ["Epilepsy", 12], ["Being attacked by a stranger", 22],
];

const PA: [string, number][] = [
  ["Living past 80", 55], ["Owning your home", 64], ["A promotion at work", 46], ["Travelling to another continent", 58],
  ["Winning a prize", 18], ["A happy marriage of 25 years", 41], ["Grandchildren", 62], ["Finishing a marathon", 12],
  ["Learning a second language", 33], ["A salary above average", 44], ["Good health at 70", 52], ["Being invited to speak", 27],
  ["A lasting friendship from school", 49], ["Writing a book", 9], ["Retiring early", 24], ["Saving a life", 15],
  ["Being debt-free at 50", 47], ["An inheritance", 30], ["Starting a business", 21], ["A long holiday abroad", 61],
];
const PB: [string, number][] = [
  ["Living past 90", 26], ["A garden of your own", 66], ["Being praised in public", 39], ["Meeting a famous person", 35],
  ["Winning a lottery prize", 14], ["Children who go to university", 52], ["Running your own team", 37], ["Climbing a mountain", 19],
  ["Playing an instrument well", 28], ["Being the best man or bridesmaid", 56], ["A pension above average", 42], ["Volunteering for a year", 23],
  ["A second home", 16], ["Being on television", 20], ["Getting a degree as an adult", 25], ["Adopting a pet", 63],
  ["Keeping your own teeth at 75", 45], ["A scholarship", 17], ["Teaching a course", 31], ["Seeing the northern lights", 29],
];

export const EVENTS: LifeEvent[] = [
  ...A.map(([label, base_rate], i) => ({ event_id: `A${String(i + 1).padStart(2, "0")}`, list: "A" as const, label, base_rate })),
  ...B.map(([label, base_rate], i) => ({ event_id: `B${String(i + 1).padStart(2, "0")}`, list: "B" as const, label, base_rate })),
];

/** Positive life events (events.csv valence "positive"): good news is a base rate above the first estimate. */
export const POSITIVE_EVENTS: LifeEvent[] = [
  ...PA.map(([label, base_rate], i) => ({ event_id: `PA${String(i + 1).padStart(2, "0")}`, list: "PA" as const, label, base_rate })),
  ...PB.map(([label, base_rate], i) => ({ event_id: `PB${String(i + 1).padStart(2, "0")}`, list: "PB" as const, label, base_rate })),
];

export function eventsOfList(list: "A" | "B" | "PA" | "PB"): LifeEvent[] {
  return (list === "A" || list === "B" ? EVENTS : POSITIVE_EVENTS).filter((e) => e.list === list);
}

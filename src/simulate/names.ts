/**
 * Fake but plausible names: customer companies and their domains, people,
 * the CSM team, competitors and acquirers. Company names come from a
 * pseudo-random bijection over a large name space, so domains never repeat.
 */
import { permute, type Rng } from "./random.js";
import { SIGNAL_COMPETITORS } from "./signal-competitors.js";

const words = (text: string): readonly string[] => text.split(" ");

const PREFIXES = words(
  "Blue North Silver Bright Clear Iron Red Oak Pine Stone Swift True Open Quant Nova Vert Alto Apex " +
    "Cedar Coral Delta Ember Falcon Gold Granite Harbor High Indigo Juniper Kite Lake Lumen Maple " +
    "Meadow Mint Moss Night Ocean Orbit Pacific Prairie Quartz Raven Ridge River Sage Sky Solar " +
    "Summit Sun Tide Timber Urban Valley Willow Wolf Zephyr Copper Fern Glacier",
);

const SUFFIXES = words(
  "peak wind line field bridge works forge stack leaf mark gate path point scale wave loop base " +
    "sight rock vale haven stone ford well crest spring port view light grid shore wood lane beam " +
    "craft fly root hill brook mont ton mere bay hive dale run star way nest wing",
);

const ONSETS = words("Ka Ve Lu Zo Ma Te Ri No Sa Be Ca Do Fe Ga Hu Ja Li Mo Pa Qui Ro Si Ta Xa");
const MIDDLES = words("l r n v m st th nd");
const ENDINGS = words("ora ex ia o ix ara eon ly ivo ana ent is ova ari une ilo era ium ax elle");

const INDUSTRIES = words(
  "Logistics Analytics Health Labs Systems Software Robotics Foods Capital Energy Media Retail Bio " +
    "Networks Studio Partners Manufacturing Freight Insurance Learning Security Cloud Dental Legal " +
    "Realty Travel Outdoors Apparel Brewing Pharma Payments Marketing Consulting Telecom Engineering " +
    "Data",
);

const TLDS = ["com", "io", "co", "net"] as const;
const COMPANY_SUFFIXES = [
  "Inc.",
  "Ltd",
  "GmbH",
  "Group",
  "Co.",
  "LLC",
  "AG",
  "BV",
  "SAS",
  "Pty Ltd",
] as const;

const BRAND_COUNT = PREFIXES.length * SUFFIXES.length + ONSETS.length * MIDDLES.length * ENDINGS.length;
const NAME_SPACE = BRAND_COUNT * INDUSTRIES.length * TLDS.length;

function brand(k: number): string {
  const compounds = PREFIXES.length * SUFFIXES.length;
  if (k < compounds) return PREFIXES[k % PREFIXES.length]! + SUFFIXES[Math.floor(k / PREFIXES.length)]!;
  const s = k - compounds;
  const onset = ONSETS[s % ONSETS.length]!;
  const middle = MIDDLES[Math.floor(s / ONSETS.length) % MIDDLES.length]!;
  const ending = ENDINGS[Math.floor(s / (ONSETS.length * MIDDLES.length))]!;
  return onset + middle + ending;
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** A company's name and domain; distinct accounts always get distinct domains. */
export function companyName(index: number, seed: string, rng: Rng): { name: string; domain: string } {
  const n = index < NAME_SPACE ? permute(index, NAME_SPACE, `${seed}:companies`) : index;
  const b = brand(n % BRAND_COUNT);
  const industry = INDUSTRIES[Math.floor(n / BRAND_COUNT) % INDUSTRIES.length]!;
  const tld = TLDS[Math.floor(n / (BRAND_COUNT * INDUSTRIES.length)) % TLDS.length]!;
  const extra = index < NAME_SPACE ? "" : String(Math.floor(index / NAME_SPACE));
  const domain = `${slug(b)}${slug(industry)}${extra}.${tld}`;
  const style = rng.next();
  const name =
    style < 0.55
      ? `${b} ${industry}`
      : style < 0.75
        ? `${b} ${industry} ${rng.choice(COMPANY_SUFFIXES)}`
        : style < 0.9
          ? b
          : `${b} ${rng.choice(COMPANY_SUFFIXES)}`;
  return { name: extra ? `${name} ${extra}` : name, domain };
}

export const FIRST_NAMES = words(
  "Aiden Amara Ana Andrei Anika Arjun Ava Beatriz Ben Bilal Camila Carlos Chen Chloe Chidi Daniel " +
    "Dara David Diego Elena Elif Emma Erik Fatima Felix Freya Gabriel Grace Hana Hannah Hiroshi " +
    "Ibrahim Ines Isaac Isla Ivan Jack Jamal James Jana Javier Jin Joao Jonas Julia Kai Kamala Karim " +
    "Kate Kenji Kofi Lars Laura Layla Leo Liam Lina Lucas Lucia Luis Maya Mateo Mei Mia Mikhail " +
    "Mohammed Nadia Naomi Nia Nikhil Noah Nora Olga Oliver Omar Paula Pedro Priya Rafael Rania Ravi " +
    "Rosa Ruth Sam Sara Sean Sofia Sven Tariq Tess Theo Tomas Uma Valentina Victor Wei Yara Yuki " +
    "Zainab Zoe",
);

export const LAST_NAMES = words(
  "Abe Adeyemi Alvarez Andersen Bakker Banerjee Becker Bianchi Brown Castro Chen Cohen Costa Dubois " +
    "Dvorak Edwards Eriksson Fernandes Fischer Garcia Gomez Gupta Haddad Hansen Hoffmann Hughes " +
    "Ibrahim Ito Jansen Jensen Johnson Kaur Khan Kim Kowalski Kumar Larsen Lee Lopez Martin Mendes " +
    "Meyer Moreau Murphy Nakamura Nguyen Novak Obi Okafor Olsen Ortiz Park Patel Petrov Popescu Quinn " +
    "Rahman Ramos Reyes Rossi Russo Sato Schmidt Silva Singh Smith Sousa Suzuki Tanaka Taylor Torres " +
    "Tran Vargas Virtanen Walsh Wang Weber Williams Wong Yamamoto Yilmaz Zhang Zielinski",
);

export function personName(rng: Rng): { first: string; last: string } {
  return { first: rng.choice(FIRST_NAMES), last: rng.choice(LAST_NAMES) };
}

/** The customer success team: every account has one of them as its owner. */
export const CSM_TEAM = [
  "Maya Chen",
  "Jordan Alvarez",
  "Priya Raman",
  "Tom Becker",
  "Aisha Okafor",
  "Lukas Novak",
  "Sofia Marques",
  "Ethan Brooks",
] as const;

/** Which CSMs carry which segment: the first three lean enterprise, the last three SMB. */
export const CSM_WEIGHTS: Readonly<Record<"smb" | "mid_market" | "enterprise", readonly number[]>> = {
  smb: [0.2, 0.3, 0.5, 1, 1, 1.6, 1.8, 1.8],
  mid_market: [0.6, 1, 1, 1.4, 1.4, 1, 0.8, 0.6],
  enterprise: [2, 1.6, 1.4, 0.8, 0.6, 0.3, 0.2, 0.1],
};

/** The simulated vendor's competitors, as customers name them (see signal-competitors.ts for aliases). */
export const COMPETITORS: readonly string[] = SIGNAL_COMPETITORS.map((c) => c.name);

export const ACQUIRERS = [
  "Halvorsen Group",
  "Meridian Holdings",
  "Atlas Industries",
  "Corvid Partners",
  "Bellweather Capital",
  "Tessaract Global",
  "Northgate Brands",
  "Ironclad Ventures",
] as const;

export const INTEGRATIONS = [
  "Salesforce",
  "HubSpot",
  "Slack",
  "Snowflake",
  "Zendesk",
  "Jira",
  "BigQuery",
  "Okta",
] as const;

/**
 * The phrases text analysis looks for, as regular expressions over a sentence
 * in which each competitor named is masked as a run of MASK characters (so
 * `C` below stands for "a competitor"). One list per kind; each match is a
 * finding unless negated (see cues.ts).
 */
export const MASK = "\uE000";
const C = `${MASK}+`;

// Alternatives in words: "other tools", "a few other vendors", "alternatives", "a replacement".
const ALT = `(?:(?:some|a\\s+few|several|a\\s+couple\\s+of|a\\s+couple|two|three|the)\\s+)?(?:other|alternative|different|new|another|cheaper|competing|rival)\\s+(?:[\\w-]+\\s+)?(?:tools?|vendors?|options?|solutions?|platforms?|providers?|products?|systems?|software|suppliers?|offerings?|crms?|apps?)|alternatives?|(?:your\\s+)?competitors?|the\\s+competition|(?:a\\s+)?replacements?`;
// What may stand between "move" and "to": "move everything to", "switched the sales team over to".
const MOVED = `(?:(?:everything|everyone|us|it|them|all|the\\s+[\\w-]+(?:\\s+team)?|our\\s+[\\w-]+(?:\\s+team)?)\\s+)?`;
const OBJ = `(?:${C}|${ALT})`;
// Up to two words between a verb and its object: "looking at both Northwind and …", "evaluating maybe two other tools".
const GAP = `(?:[\\w'’-]+\\s+){0,2}?`;

const re = (s: string) => new RegExp(s, s.includes("\\p{") ? "giu" : "gi");

// Words each kind's phrases cannot do without: a sentence with none of them skips that kind's rules (most sentences).
export const GATES = {
  evaluating:
    /\b(?:evalu|trial|pilot|demo|consider|look|explor|research|compar|shop|talk|speak|getting\s+quote|got\s+quote|mov|switch|migrat|replac|go\s+with|going\s+with|went\s+with|sign\w*\s+with|chose|picked|selected|decided\s+on|leav|jump|see\s+how|standardi|rf[piq]|tender|request\s+for|poc|proof|bake|head[- ]to|side[- ]by|churn|assess|test|tempted|open\s+to)/i,
  parity:
    /\b(?:parity|par\s+with|catch|behind|lagging|other|most|every\s+other|all\s+the\s+other|competit|rival)/i,
  departure:
    /\b(?:no\s+longer|left|leav|quit|moved\s+on|moving\s+on|last\s+day|new\s+(?:role|job|position)|accepted|resign|handed|weeks|step|retir|let\s+go|laid\s+off|redundant|terminated|join)/i,
  procurement:
    /\b(?:redlin|msa|dpa|master|liabil|indemn|procure|legal|purchas|finance|vendor|budget|spend|fr(?:oze|ozen|eez)|cfo|ceo|coo\b|board|vp\b|sign|push|security|po\b|net[- ]\d)/i,
};

export const EVALUATING: readonly RegExp[] = [
  re(
    `\\b(?:evalu?a?t(?:e|es|ed|ing)|test(?:ing|ed)?(?:\\s+out)?|assess(?:ing)?|trial(?:l?ing|l?ed|s)?|pilot(?:ing|ed|s)?|demo(?:ing|ed|'?d)?|consider(?:s|ing|ed)?|looking\\s+(?:at|into)|look(?:ed)?\\s+(?:at|into)|explor(?:e|es|ed|ing)|research(?:ing)?|compar(?:e|es|ed|ing)\\s+(?:you|us|your\\s+\\w+|it|[\\w-]+)\\s+(?:against|with|to)|shop(?:ping)?\\s+around\\s+for|talking\\s+(?:to|with)|speaking\\s+(?:to|with)|in\\s+talks\\s+with|(?:getting|got|get)\\s+(?:quotes?|demos?|pricing|proposals?)\\s+from|(?:mov(?:e|es|ed|ing)|switch(?:es|ed|ing)?|migrat(?:e|es|ed|ing))\\s+${MOVED}(?:over\\s+)?to|replac(?:e|ed|ing)\\s+(?:you|your\\s+[\\w-]+|it|this|[\\w-]+)\\s+with|go(?:ing)?\\s+with|went\\s+with|sign(?:ed|ing)?\\s+with|chose|picked|selected|decided\\s+on|leaving\\s+(?:you\\s+)?for|jump(?:ing|ed)?\\s+ship\\s+to|see\\s+how|standardi[sz](?:e|ed|ing)\\s+on)\\s+${GAP}${OBJ}`,
  ),
  re(
    `\\b(?:issued|issuing|issue|sent\\s+out|sending\\s+out|put\\s+out|published|running|run|ran|started|kicked\\s+off|launch(?:ed|ing))\\s+(?:an?\\s+|the\\s+|our\\s+)?(?:RFP|RFI|RFQ|tender|request\\s+for\\s+proposals?)\\b`,
  ),
  re(`\\b(?:RFP|request\\s+for\\s+proposals?)\\b`),
  re(
    `\\b(?:POC|PoC|proof[- ]of[- ]concept|bake[- ]?off|head[- ]to[- ]head|side[- ]by[- ]side)\\s+(?:\\w+\\s+)?(?:with|of|against|between|on)\\s+${GAP}${OBJ}`,
  ),
  re(`\\bshopping\\s+around\\b|\\bjump(?:ing|ed)?\\s+ship\\b`),
  re(
    `\\b(?:replac(?:e|ing)|replacement\\s+for)\\s+(?:you|your\\s+(?:tool|product|platform|software|solution|service|app|system))\\b`,
  ),
  re(
    `\\b(?:leav(?:e|ing)|mov(?:e|ing)|migrat(?:e|ing)|churn(?:ing)?)\\s+(?:off|away\\s+from)\\s+(?:you|your\\s+[\\w-]+|this\\s+[\\w-]+)`,
  ),
];

// "Considering it" after a competitor's offer in the same sentence (used only when one is named before).
export const EVALUATING_IT: readonly RegExp[] = [
  re(
    `\\b(?:consider(?:ing)?|evaluat(?:e|ing)|tempted\\s+by|open\\s+to)\\s+(?:\\w+\\s+)?(?:it|them|that|this|the\\s+offer|their\\s+offer|the\\s+switch)\\b`,
  ),
];

// A request for something: what "like Northwind does" needs around it to be a parity ask.
export const REQUEST =
  /\?|\b(?:need|needs|needed|want|wants|wish|would\s+(?:love|like)|would\s+be\s+(?:great|nice|good|helpful|useful)|'d\s+(?:love|like)|add|adding|support|supports|can\s+you|could\s+you|will\s+you|please|request\w*|asking|ask|missing|lack|lacks|roadmap|plans?\s+to|expect\w*|build|implement|offer|provide|allow|let\s+us|get|why\s+not|when\s+will|make\s+it)\b/i;

export const PARITY: readonly RegExp[] = [
  re(
    `${C}(?:['’]s)?\\s+(?:already\\s+)?(?:has|have|does|do|offers?|supports?|provides?|includes?|ships?|gives(?:\\s+you)?|handles?|lets\\s+you|allows|comes\\s+with|got)\\b[^.?!]{0,60}?(?:out\\s+of\\s+the\\s+box|natively|built[- ]in|as\\s+standard|by\\s+default|included|at\\s+no\\s+extra\\s+(?:cost|charge))`,
  ),
  re(
    `${C}\\s+(?:both\\s+|all\\s+)?(?:already\\s+|has\\s+already\\s+|have\\s+already\\s+)(?:has|have|had|does|did|offers?|supports?|provides?|ships?|got|launched|released|built|added|do)\\b`,
  ),
  re(
    `${C}\\s+(?:has|have)\\s+had\\s+(?:it|this|that|one)\\b|${C}\\s+(?:has|have)\\s+had\\s+[^.!?]{0,40}?\\b(?:for\\s+(?:years|ages|months|a\\s+while|a\\s+long\\s+time)|since)\\b`,
  ),
  re(
    `${C}[^.!?]{0,120}?\\b(?:why\\s+(?:can['’]?t|don['’]?t|doesn['’]?t|won['’]?t|isn['’]?t|aren['’]?t)\\s+(?:you|yours|your\\s+[\\w-]+|this|it)|when\\s+will\\s+(?:you|yours|your\\s+[\\w-]+|this|it)|how\\s+come\\s+(?:you|your))`,
  ),
  re(`\\bprefer\\s+(?:how|the\\s+way)\\s+${C}`),
  re(`\\b(?:(?:feature|functional|product)\\s+)?parity\\b(?:\\s+with\\s+${GAP}${OBJ})?`),
  re(
    `\\b(?:catch(?:ing)?\\s+up\\s+(?:with|to)|on\\s+par\\s+with|behind|lagging(?:\\s+behind)?)\\s+${GAP}${OBJ}`,
  ),
  re(
    `\\b(?:other|most|all\\s+the\\s+other|every\\s+other|competing|rival)\\s+(?:tools?|vendors?|products?|platforms?|solutions?|providers?|apps?|crms?)\\s+(?:[\\w'’-]+\\s+){0,3}?(?:have|has|do|does|offer|offers|support|supports|provide|provides|include|includes|ship|ships|already|handle|handles|let\\s+you)\\b`,
  ),
  re(
    `\\b(?:your\\s+)?(?:competitors?|the\\s+competition)\\s+(?:all\\s+|already\\s+|both\\s+)?(?:have|has|do|does|offer|offers|support|supports|provide|provides)\\b`,
  ),
];

// Parity asks that need a request around them: "like Northwind does", "the way Contoso has it".
export const PARITY_WITH_REQUEST: readonly RegExp[] = [
  re(
    `\\b(?:just\\s+)?(?:like|as|the\\s+way|the\\s+same\\s+way|similar\\s+to|same\\s+as|comparable\\s+to|equivalent\\s+(?:of|to)|matching|match)\\s+(?:what\\s+|how\\s+)?${C}(?:['’]s)?(?:\\s+(?:does|do|did|has|have|had|offers?|supports?|provides?|handles?(?:\\s+it|\\s+this)?|is\\s+doing|does\\s+it)\\b)?`,
  ),
  re(`${C}\\s+(?:has|does|offers|supports|provides)\\s+(?:this|that|it)\\b`),
  re(`${C}\\s+(?:has|have|offers?|does|provides?|supports?)(?=\\s*(?:[.!?,;]|$))`),
  re(
    `${C}\\s+(?:has|have|offers?)\\s+(?:a\\s+|an\\s+)?(?:much\\s+)?(?:nicer|better|faster|cleaner|simpler|proper|real|native)\\b`,
  ),
  re(`${C}(?:['’]s\\s+[\\w-]+)?\\s+(?:handles?|does|do|is)\\s+[^.!?]{0,40}?\\bbetter\\b`),
];

export const DEPARTURE: readonly RegExp[] = [
  re(
    `\\bno\\s+longer\\s+(?:with|at|works?\\s+(?:at|for|with|here)|working\\s+(?:at|for|with|here)|employed\\s+(?:by|at|with)|part\\s+of|on\\s+the\\s+team|in\\s+the\\s+company|here|our\\s+(?:contact|champion|admin|sponsor|point\\s+of\\s+contact))\\b`,
  ),
  re(
    `\\b(?:left|leaving|leave|quit)\\s+(?:the\\s+|our\\s+|their\\s+|his\\s+|her\\s+)?(?:company|business|organi[sz]ation|org|firm|team|group|role|job|position)\\b`,
  ),
  re(
    `(?:\\b(?:has|have|had)|['’]s|['’]ve)\\s+(?:just\\s+|recently\\s+|now\\s+|already\\s+|since\\s+)?left(?=\\s*(?:$|[.,;:!?)]|(?:us|for\\s+(?!the\\s+day|lunch|the\\s+weekend)|to\\s+join|last|this|earlier|yesterday|recently|in|on|at\\s+the\\s+end|a\\s+(?:few|couple)|two|three|and|so|but)\\b))`,
  ),
  re(
    `(?:(?:\\b(?:has|have|had|since|recently|just)|['’]s|['’]ve)\\s+moved\\s+on\\b(?!\\s+from\\s+(?!the\\s+company|us\\b))|(?:\\b(?:am|is|are)|['’]m|['’]s|['’]re)\\s+moving\\s+on\\b|\\bmov(?:ed|ing)\\s+on\\s+(?:to\\s+(?:a\\s+new|another|a\\s+different|new)\\s+(?:role|job|position|company|opportunity|employer|challenge)|last|this|earlier|a\\s+few|recently)\\b)`,
  ),
  re(
    `\\b(?:my|his|her|their|\\p{Lu}\\p{Ll}+['’]s)\\s+last\\s+day\\b(?!\\s+of\\s+(?:the\\s+)?(?:month|quarter|year|trial|term|week|contract|sprint))|\\blast\\s+day\\s+(?:at\\s+(?:the\\s+company|\\p{Lu})|with\\s+(?:us|the\\s+company)|here|in\\s+the\\s+office)\\b`,
  ),
  re(
    `(?:\\b(?:is|am|are)|['’]m|['’]re|['’]s)\\s+(?:also\\s+|now\\s+)?leaving\\b(?!\\s+(?:a|an|the\\s+(?:meeting|call|office)|feedback|comments?|notes?|early|for\\s+the\\b|for\\s+lunch|on\\s+(?:holiday|vacation|leave)|for\\s+(?:vacation|holiday)|it|this|that|them|you\\s+a))`,
  ),
  re(
    `\\b(?:a\\s+)?new\\s+(?:role|job|position)\\s+(?:at|with)\\s+(?:another|a\\s+different|a\\s+new|(?!our\\b|the\\s+company)\\p{Lu})`,
  ),
  re(`\\baccepted\\s+(?:a|an)\\s+(?:role|position|offer|job)(?:\\s+elsewhere|\\s+at|\\s+with)\\b`),
  re(
    `\\b(?:has\\s+|have\\s+)?resigned\\b|\\bhanded\\s+in\\s+(?:his|her|their|my)\\s+(?:notice|resignation)|\\b(?:two|2|four|4)\\s+weeks['’]?\\s+notice`,
  ),
  re(
    `\\bstep(?:ping|ped|s)\\s+down\\b|\\b(?:is|has|['’]s)\\s+(?:retiring|retired)\\b|\\bretired\\s+(?:last|this|earlier|in|at\\s+the\\s+end)\\b`,
  ),
  re(`\\b(?:has|have)\\s+(?:he|she|they)\\s+(?:already\\s+)?left\\b`),
  re(`\\b(?:was|were|got|been|being)\\s+(?:let\\s+go|laid\\s+off|made\\s+redundant|terminated)\\b`),
  re(
    `\\bjoin(?:ed|ing|s)\\s+(?:another|a\\s+different|a\\s+new)\\s+(?:company|firm|employer|organi[sz]ation)\\b`,
  ),
];

// Each with whether it names the contract itself (an MSA, redlines, a PO) or needs contract words near it.
export const PROCUREMENT: readonly { re: RegExp; intrinsic: boolean }[] = [
  {
    re: re(
      `\\bredlin(?:es?|ed|ing)\\b|\\bMSA\\b|\\bDPA\\b|\\bmaster\\s+(?:services?|subscription)\\s+agreement\\b`,
    ),
    intrinsic: true,
  },
  {
    re: re(`\\blimitation\\s+of\\s+liability\\b|\\bliability\\s+caps?\\b|\\bindemnit(?:y|ies|ification)\\b`),
    intrinsic: true,
  },
  {
    re: re(
      `\\b(?:procurement|legal|purchasing|finance|vendor\\s+management)\\b(?:\\s+(?:team|department|dept|counsel|folks|people))?(?:\\s+(?:is|are|has|have|will|wants?|needs?|still))*(?:\\s+(?:a|an|the|more|\\d+\\s*%))*\\s+(?:review(?:ing|s|ed)?|push(?:ing|ed|es)?\\s+back|pushback|block\\w*|delay\\w*|hold\\w*\\s+(?:up|off)|held\\s+up|stall\\w*|stuck|asking\\s+for|demand\\w*|requir\\w*|insist\\w*|flagged|raised|rejected|won['’]?t|negotiat\\w*|involved|sign[- ]?off|approval|questions?|concerns?|objections?|queue|process|another|more\\s+time|changes|discount|better\\s+(?:price|terms))\\b`,
    ),
    intrinsic: false,
  },
  {
    re: re(
      `\\blegal\\s+review\\b|\\bprocurement\\s+review\\b|\\bvendor\\s+(?:review|assessment|consolidation|rationali[sz]ation)\\b`,
    ),
    intrinsic: false,
  },
  {
    re: re(
      `\\b(?:budget|spend(?:ing)?|purchasing|software\\s+spend)\\s+(?:freeze|is\\s+frozen|cuts?|hold)\\b|\\bfr(?:oze|ozen|eezing)\\s+(?:all\\s+)?(?:new\\s+)?(?:software\\s+|tool\\s+|vendor\\s+)?(?:spend|spending|budgets?|purchases|purchasing)\\b`,
    ),
    intrinsic: false,
  },
  {
    re: re(
      `\\b(?:needs?|requires?|pending|awaiting|waiting\\s+(?:on|for)|subject\\s+to)\\s+(?:\\w+\\s+)?(?:CFO|CEO|COO|finance|board|VP)(?:['’]s)?\\s+(?:approval|sign[- ]?off|signature)\\b|\\bsign[- ]?off\\s+from\\s+(?:our\\s+|the\\s+)?(?:CFO|CEO|finance|legal|board|procurement)\\b|\\bCFO\\s+(?:approval|sign[- ]?off|needs\\s+to\\s+(?:approve|sign)|(?:has\\s+to|must|wants\\s+to)\\s+(?:approve|sign|review))\\b`,
    ),
    intrinsic: false,
  },
  {
    re: re(
      `\\bpush(?:ing|ed|es)?\\s+back\\s+(?:hard\\s+)?(?:on|against)\\s+(?:the\\s+|our\\s+|your\\s+|this\\s+)?(?:price|pricing|renewal|terms|contract|increase|uplift|quote|proposal|cost|rate|number)s?\\b`,
    ),
    intrinsic: true,
  },
  {
    re: re(
      `\\bsecurity\\s+(?:review|questionnaire|assessment|team|audit)\\b[^.!?]{0,40}?\\b(?:block\\w*|holding\\s+(?:it\\s+|this\\s+)?up|held\\s+up|stall\\w*|delay\\w*|stuck|pending)|\\b(?:blocked|held\\s+up|stuck|delayed)\\s+(?:on|by|in)\\s+(?:security|legal|procurement|finance)\\b`,
    ),
    intrinsic: false,
  },
  {
    re: re(
      `\\b(?:purchase\\s+order|PO)\\s+(?:is\\s+|has\\s+been\\s+|was\\s+)?(?:delayed|held|on\\s+hold|stuck|blocked|rejected|not\\s+approved)\\b|\\bnet[- ](?:60|90|120)\\b`,
    ),
    intrinsic: true,
  },
];

// What a procurement or legal phrase must be near to count: the contract, the renewal, the price.
export const CONTRACT_WORDS =
  /\b(?:contracts?|renewals?|renew|renewing|agreement|terms|price|pricing|quote|proposal|deal|order|PO|purchase|invoice|signature|sign|signing|signed|vendors?|subscription|licen[cs]es?|seats|uplift|discount|budget|spend|approval|MSA|DPA|redlines?|paperwork|legal|procurement|increase)\b/i;
// Already settled: "legal review is done", "the budget freeze was lifted", "procurement signed off".
export const SETTLED =
  /^[^.!?]{0,30}?\b(?:(?:is|was|has\s+been|have\s+been|are|were)\s+(?:now\s+|all\s+)?(?:done|complete[d]?|finished|approved|cleared|signed|lifted|over|resolved|through|finali[sz]ed|sorted)|signed\s+off|approved\s+(?:it|the|our)|went\s+(?:smoothly|fine|through)|is\s+fine|are\s+fine|no\s+(?:issues|concerns|changes))\b/i;

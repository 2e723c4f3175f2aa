export { type Competitor, CompetitorMatcher, type Mention } from "./competitor-match.js";
export { findInText, matcherFor, type PlacedFinding, placedFindings, type TextFinding } from "./find.js";
export { type KindScore, type LabelledMiss, type LabelledSet, scoreLabelled } from "./labelled.js";
export { type Sentence, splitSentences } from "./sentences.js";

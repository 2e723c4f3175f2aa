import { describe, expect, it } from "vitest";
import { CompetitorMatcher } from "./competitor-match.js";

const matcher = new CompetitorMatcher([
  { name: "Northwind Analytics", aliases: ["Northwind", "NW"] },
  { name: "Acme", aliases: [] },
  { name: "Monday", aliases: ["monday.com"] },
  { name: "Notion", aliases: [] },
  { name: "Pipe", aliases: [] },
  { name: "Ångström Data", aliases: ["Ångström"] },
  { name: "Contoso", aliases: [] },
]);
const names = (s: string) => matcher.find(s).map((m) => `${m.competitor}=${s.slice(m.start, m.end)}`);

describe("competitor names: whole words and phrases, case-insensitive", () => {
  it.each([
    ["We are looking at Northwind.", ["Northwind Analytics=Northwind"]],
    ["northwind is cheaper", ["Northwind Analytics=northwind"]],
    ["NORTHWIND called", ["Northwind Analytics=NORTHWIND"]],
    ["Northwind's pricing", ["Northwind Analytics=Northwind"]],
    ["Northwind Analytics came up", ["Northwind Analytics=Northwind Analytics"]],
    ["Northwind\nAnalytics", ["Northwind Analytics=Northwind\nAnalytics"]],
    ["The Northwinds are cold", []],
    ["northwindy weather", []],
    ["Acmeville opens", []],
    ["unNorthwind", []],
    ["Northwind2 is a codename", []],
    ["(Northwind)", ["Northwind Analytics=Northwind"]],
    ["Ångström Data quoted", ["Ångström Data=Ångström Data"]],
    ["ÅNGSTRÖM called", ["Ångström Data=ÅNGSTRÖM"]],
    ["Ångströmsson is a surname", []],
    ["Ångströms", []],
    ["Contoso and Northwind", ["Contoso=Contoso", "Northwind Analytics=Northwind"]],
    ["CONTOSO", ["Contoso=CONTOSO"]],
  ])("%j → %j", (text, expected) => {
    expect(names(text)).toEqual(expected);
  });
});

describe("an alias that is an ordinary word counts only where it reads as a name", () => {
  it.each([
    ["Let's meet on Monday.", []],
    ["See you Monday at the workshop!", []],
    ["Moving the call to Monday.", []],
    ["We switched to Monday for tracking.", ["Monday=Monday"]],
    ["Our PMs live in monday.com all day.", ["Monday=monday.com"]],
    ["Can it push tasks to the Monday app?", ["Monday=Monday"]],
    ["That is a good notion.", []],
    ["We keep docs in Notion.", ["Notion=Notion"]],
    ["we use notion for docs", ["Notion=notion"]],
    ["Notion has this out of the box.", ["Notion=Notion"]],
    ["Notion of a health score", []],
    ["We pipe the export into the warehouse.", []],
    ["The pipe broke again.", []],
    ["Half the team logs deals in Pipe.", ["Pipe=Pipe"]],
    ["We moved from Pipe to you.", ["Pipe=Pipe"]],
    ["Pipe CRM quoted less", ["Pipe=Pipe"]],
    ["the acme of design", []],
    ["The Acme team called", ["Acme=Acme"]],
  ])("%j → %j", (text, expected) => {
    expect(names(text)).toEqual(expected);
  });
});

it("an empty list finds nothing", () => {
  const none = new CompetitorMatcher([]);
  expect(none.empty).toBe(true);
  expect(none.any("Northwind")).toBe(false);
  expect(none.find("Northwind")).toEqual([]);
});

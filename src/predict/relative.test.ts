import { describe, expect, it } from "vitest";
import { featureLabel } from "./refresh.js";
import { PORTFOLIO_RELATIVE, RELATIVE_SUFFIX, withRelative } from "./relative.js";

describe("features relative to the portfolio", () => {
  const account = {
    active_users_30d: 6,
    usage_trend_pct: -10,
    "category:product_engagement": 70,
    nps_latest: 8,
  };
  const medians = { active_users_30d: 8, usage_trend_pct: 5, "category:product_engagement": 65 };

  it("takes each usage feature as the value minus the portfolio median, and leaves the rest", () => {
    expect(withRelative(account, medians, false)).toEqual({
      "active_users_30d:vs_portfolio": -2,
      "usage_trend_pct:vs_portfolio": -15,
      "category:product_engagement:vs_portfolio": 5,
      nps_latest: 8,
    });
    // Kept raw (for models trained before), the record holds both.
    expect(withRelative(account, medians, true)).toMatchObject({
      active_users_30d: 6,
      "active_users_30d:vs_portfolio": -2,
    });
  });

  it("is unmoved by a quiet month that every account shares", () => {
    // December: everyone's usage trend 40 points lower, the median too.
    const december = withRelative(
      { ...account, usage_trend_pct: account.usage_trend_pct - 40 },
      { ...medians, usage_trend_pct: medians.usage_trend_pct - 40 },
      false,
    );
    expect(december).toEqual(withRelative(account, medians, false));
  });

  it("has no relative value where the portfolio has no median", () => {
    const out = withRelative(account, { active_users_30d: null }, false);
    expect(out).not.toHaveProperty("active_users_30d:vs_portfolio");
    expect(out).not.toHaveProperty("active_users_30d");
    expect(withRelative(account, undefined, true)).toEqual(account);
  });

  it("names every relative feature for people", () => {
    for (const f of PORTFOLIO_RELATIVE)
      expect(featureLabel(`${f}${RELATIVE_SUFFIX}`)).toMatch(/ against the portfolio median$/);
    expect(featureLabel("category:product_engagement:vs_portfolio")).toBe(
      "product engagement score against the portfolio median",
    );
  });
});

import { describe, expect, it } from "vitest";
import { bodyFromForm, checkForm, formFromPolicy } from "./rotation-form";

describe("rotation policy form", () => {
  it("reads a policy into the form and writes the same policy back", () => {
    const policy = {
      lifetimeActions: [
        { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
        { trigger: { timeAfterCreate: "P90D" }, action: { type: "rotate" } },
      ],
      attributes: { expiryTime: "P1Y" },
    };
    const form = formFromPolicy(policy);
    expect(form).toEqual({ expiryTime: "P1Y", rotate: { mode: "timeAfterCreate", duration: "P90D" }, notify: { mode: "timeBeforeExpiry", duration: "P30D" } });
    expect(bodyFromForm(form)).toEqual({
      lifetimeActions: [
        { trigger: { timeAfterCreate: "P90D" }, action: { type: "Rotate" } },
        { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } },
      ],
      attributes: { expiryTime: "P1Y" },
    });
    expect(checkForm(form)).toEqual({});
  });

  it("places each problem on its field", () => {
    expect(Object.keys(checkForm({ expiryTime: "P7D", rotate: { mode: "none", duration: "" }, notify: { mode: "none", duration: "" } }))).toEqual(["expiryTime"]);
    expect(checkForm({ expiryTime: "", rotate: { mode: "timeAfterCreate", duration: "P7D" }, notify: { mode: "none", duration: "" } }).rotate).toMatch(/at most every 28 days/);
    expect(checkForm({ expiryTime: "", rotate: { mode: "none", duration: "" }, notify: { mode: "timeBeforeExpiry", duration: "30 days" } }).notify).toMatch(/not an ISO 8601 duration/);
    expect(checkForm({ expiryTime: "", rotate: { mode: "timeBeforeExpiry", duration: "P30D" }, notify: { mode: "none", duration: "" } }).rotate).toMatch(/needs attributes.expiryTime/);
  });
});

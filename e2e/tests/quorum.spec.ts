import { randomBytes } from "node:crypto";
import { QuorumRecordSchema, type QuorumRecord } from "@keyward/shared";
import { test, expect } from "../fixtures";
import type { KeywardApi } from "../harness/api";

/**
 * Quorum records in the browser, on the e2e portal's security domain (activated with the development
 * custodians, KEYWARD_SD_DEV_CUSTODIANS): record who holds two shares, see the finding when both are
 * kept in one place, hand one share over, record a review — and the same record over the API.
 */

async function quorumOf(api: KeywardApi): Promise<QuorumRecord> {
  const res = await api.portal("GET", "/quorum");
  expect(res.status()).toBe(200);
  return QuorumRecordSchema.parse(await res.json());
}

test.describe("quorum records", () => {
  test("records holders, warns about one place for two shares, records a transfer and a review", async ({ signedInPage: page, adminApi, snap }) => {
    const before = await quorumOf(adminApi);
    expect(before.domain, "the e2e portal should come up with an active security domain (development custodians)").not.toBeNull();
    const { required, total } = before.domain!;
    const tag = randomBytes(2).toString("hex");
    const aiko = `Aiko Tanaka ${tag}`;
    const ben = `Ben Okafor ${tag}`;
    const chen = `Chen Wei ${tag}`;

    await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Quorum" }).click();
    await expect(page).toHaveURL(/\/quorum$/);
    await expect(page.getByTestId("quorum-state")).toHaveText("Active");
    await expect(page.getByTestId("quorum-m-of-n")).toHaveText(`${required} of ${total}`);
    await expect(page.getByTestId("custodian-table").getByTestId(/^custodian-row-/)).toHaveCount(total);

    // Record the holders of shares 1 and 2, both kept in one safe (typed differently).
    const record = async (share: number, fields: { person: string; role: string; contact: string; location: string }) => {
      await page.getByTestId(`edit-custodian-${share}`).click();
      const editor = page.getByTestId(`custodian-editor-${share}`);
      await editor.locator("input[name=person]").fill(fields.person);
      await editor.locator("input[name=role]").fill(fields.role);
      await editor.locator("input[name=contact]").fill(fields.contact);
      await editor.locator("input[name=location]").fill(fields.location);
      await editor.getByTestId("save-custodian").click();
      await expect(editor).toBeHidden();
      await expect(page.getByTestId(`custodian-row-${share}`).getByTestId("custodian-person")).toHaveText(fields.person);
    };
    await record(1, { person: aiko, role: "Security architect", contact: "aiko@example.com", location: "Safe 2, Osaka office" });
    // An empty name is refused as you type, before anything is sent.
    await page.getByTestId("edit-custodian-2").click();
    await page.getByTestId("custodian-editor-2").locator("input[name=person]").fill("   ");
    await page.getByTestId("custodian-editor-2").getByTestId("save-custodian").click();
    await expect(page.getByTestId("problem-person")).toHaveText("Name the person who holds this share.");
    await page.getByTestId("custodian-editor-2").getByRole("button", { name: "Cancel" }).click();
    await record(2, { person: ben, role: "Application developer", contact: "+81 6 0000 0000", location: "safe 2,  osaka OFFICE" });

    const sameLocation = page.getByTestId("quorum-warning-SAME_LOCATION");
    await expect(sameLocation).toContainText("2 shares are kept at “Safe 2, Osaka office”");
    await expect(sameLocation).toContainText("Shares: 1, 2");
    await expect(sameLocation).toHaveAttribute("data-severity", required <= 2 ? "error" : "warning");
    await snap(page, "quorum-same-location");

    // Share 1 changes hands: from is the holder on record; to the same person is refused as you type.
    const transfer = page.getByTestId("transfer-form");
    await transfer.locator("select[name=share]").selectOption(before.custodians.find((c) => c.shareNumber === 1)?.thumbprintSha256 ?? "");
    await expect(transfer.locator("input[name=from]")).toHaveValue(aiko);
    await transfer.locator("input[name=to-person]").fill(aiko.toUpperCase());
    await transfer.locator("textarea[name=reason]").fill("Aiko moves to the Taipei office; her share goes to Chen.");
    await transfer.locator("input[name=approvedBy]").fill("Dana Ito (CISO)");
    await transfer.getByTestId("save-transfer").click();
    await expect(transfer.getByTestId("problem-to-person")).toHaveText(`${aiko} already holds this share.`);
    await transfer.locator("input[name=to-person]").fill(chen);
    await transfer.locator("input[name=to-role]").fill("Security engineer");
    await transfer.locator("input[name=to-location]").fill("Bank box, Taipei");
    await transfer.getByTestId("save-transfer").click();
    await expect(transfer.getByRole("status")).toHaveText("Transfer recorded.");

    await expect(page.getByTestId("custodian-row-1").getByTestId("custodian-person")).toHaveText(chen);
    await expect(page.getByTestId("custodian-row-1").getByTestId("custodian-location")).toHaveText("Bank box, Taipei");
    await expect(page.getByTestId("transfer-list").getByTestId("transfer-entry").first()).toContainText(`${aiko} → ${chen}`);
    await expect(page.getByTestId("transfer-list").getByTestId("transfer-entry").first()).toContainText("approved by Dana Ito (CISO)");
    await expect(sameLocation).toHaveCount(0);

    // A quarterly review with a note.
    await page.getByTestId("review-form").locator("textarea[name=note]").fill(`Quarterly review ${tag}: holders confirmed in person.`);
    await page.getByTestId("save-review").click();
    await expect(page.getByTestId("review-list").getByTestId("review-entry").first()).toContainText(`Quarterly review ${tag}`);
    await expect(page.getByTestId("review-due")).toHaveCount(0);
    await snap(page, "quorum-after-transfer");

    // The API tells the same story.
    const after = await quorumOf(adminApi);
    const share = (n: number) => after.custodians.find((c) => c.shareNumber === n);
    expect(share(1)).toMatchObject({ person: chen, role: "Security engineer", location: "Bank box, Taipei" });
    expect(share(2)).toMatchObject({ person: ben, location: "safe 2,  osaka OFFICE" });
    expect(after.transfers[0]).toMatchObject({ from: { person: aiko, location: "Safe 2, Osaka office" }, to: { person: chen }, approvedBy: "Dana Ito (CISO)" });
    expect(after.reviews[0]?.note).toBe(`Quarterly review ${tag}: holders confirmed in person.`);
    expect(after.review).toMatchObject({ basis: "last-review", due: false });
  });

  test("shows a principal who may not read the records the refusal in words", async ({ users, signInAs }) => {
    const user = await users.create({ prefix: "quorum-user", roles: ["cryptoUser"] });
    const page = await signInAs(user, "/quorum");
    await expect(page.getByRole("alert").filter({ hasText: "You do not have permission" })).toContainText("securitydomain/download/read");
    await expect(page.getByTestId("quorum-review-banner")).toHaveCount(0);
  });
});

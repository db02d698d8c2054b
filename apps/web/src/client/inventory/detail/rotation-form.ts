import { parseKeyRotationPolicy, type RotationPolicyOut } from "@keyward/shared";

export type TriggerMode = "none" | "timeAfterCreate" | "timeBeforeExpiry";
export interface ActionForm {
  mode: TriggerMode;
  duration: string;
}
/** The rotation policy as a form: the new versions' lifetime, and at most one Rotate and one Notify. */
export interface RotationForm {
  expiryTime: string;
  rotate: ActionForm;
  notify: ActionForm;
}
export type RotationField = "expiryTime" | "rotate" | "notify" | "form";

function actionForm(policy: RotationPolicyOut, type: "Rotate" | "Notify"): ActionForm {
  const action = policy.lifetimeActions.find((a) => a.action.type.toLowerCase() === type.toLowerCase());
  if (action?.trigger.timeAfterCreate) return { mode: "timeAfterCreate", duration: action.trigger.timeAfterCreate };
  if (action?.trigger.timeBeforeExpiry) return { mode: "timeBeforeExpiry", duration: action.trigger.timeBeforeExpiry };
  return { mode: "none", duration: "" };
}

export function formFromPolicy(policy: RotationPolicyOut): RotationForm {
  return { expiryTime: policy.attributes.expiryTime ?? "", rotate: actionForm(policy, "Rotate"), notify: actionForm(policy, "Notify") };
}

/** The PUT body; Rotate first, so an issue at lifetimeActions/0 is the Rotate field's when there is one. */
export function bodyFromForm(form: RotationForm) {
  const actions = (["Rotate", "Notify"] as const).flatMap((type) => {
    const a = type === "Rotate" ? form.rotate : form.notify;
    return a.mode === "none" ? [] : [{ trigger: { [a.mode]: a.duration.trim() }, action: { type } }];
  });
  return { lifetimeActions: actions, attributes: form.expiryTime.trim() ? { expiryTime: form.expiryTime.trim() } : {} };
}

/** The shared rules, as you type, each problem placed on the field it concerns. */
export function checkForm(form: RotationForm): Partial<Record<RotationField, string>> {
  const body = bodyFromForm(form);
  const parsed = parseKeyRotationPolicy(body);
  if (parsed.ok) return {};
  const out: Partial<Record<RotationField, string>> = {};
  for (const issue of parsed.issues) {
    const index = /^\/lifetimeActions\/(\d+)/.exec(issue.path)?.[1];
    const type = index === undefined ? undefined : body.lifetimeActions[Number(index)]?.action.type;
    const field: RotationField = issue.path.startsWith("/attributes/expiryTime") ? "expiryTime" : type === "Rotate" ? "rotate" : type === "Notify" ? "notify" : "form";
    out[field] ??= issue.message;
  }
  return out;
}

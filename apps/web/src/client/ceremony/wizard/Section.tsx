import { useId, type ReactNode } from "react";

/** A wizard's title and the one paragraph that says what it does. */
export function WizardHeading({ title, intro }: { title: string; intro: string }) {
  return (
    <div>
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="max-w-3xl text-sm text-slate-600">{intro}</p>
    </div>
  );
}

/** One numbered part of the wizard; a fieldset so its radios and inputs form one group for assistive tech. */
export function Section({ title, testid, children }: { title: string; testid: string; children: ReactNode }) {
  return (
    <fieldset data-testid={testid} className="rounded border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      <div className="space-y-3">{children}</div>
    </fieldset>
  );
}

/** A radio choice: the label names it; details under it (status, preflight, why not) are described-by. */
export function Choice({
  name,
  value,
  checked,
  onChange,
  disabled,
  label,
  children,
  testid,
}: {
  name: string;
  value: string;
  checked: boolean;
  onChange: () => void;
  disabled?: boolean;
  label: ReactNode;
  children?: ReactNode;
  testid?: string;
}) {
  const id = useId();
  return (
    <div className={`rounded border p-2 text-sm ${checked ? "border-slate-900 bg-slate-50" : "border-slate-200"} ${disabled ? "opacity-60" : ""}`}>
      <label className={`flex items-start gap-2 ${disabled ? "" : "cursor-pointer"}`}>
        <input
          type="radio"
          name={name}
          value={value}
          checked={checked}
          onChange={onChange}
          disabled={disabled}
          data-testid={testid}
          aria-describedby={children ? `${id}-details` : undefined}
          className="mt-1 focus-visible:ring-2 focus-visible:ring-sky-500"
        />
        <span className="min-w-0 flex-1">{label}</span>
      </label>
      {children ? (
        <div id={`${id}-details`} className="ml-6 mt-1 space-y-1">
          {children}
        </div>
      ) : null}
    </div>
  );
}

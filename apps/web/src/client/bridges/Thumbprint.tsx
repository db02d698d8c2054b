/**
 * A thumbprint set in groups of four so two people can read it to each other and compare it with what
 * `keyward-bridge init` printed; the gaps are margins, so copying yields the thumbprint unchanged.
 */
export function Thumbprint({ value, testid }: { value: string; testid?: string }) {
  const groups = value.match(/.{1,4}/g) ?? [];
  return (
    <code data-testid={testid} className="select-all break-all font-mono text-xs text-slate-800" title={value}>
      {groups.map((g, i) => (
        <span key={i} className="mr-1 inline-block">
          {g}
        </span>
      ))}
    </code>
  );
}

/** A table's column headings: one place for the header markup of the ceremony tables. */
export function HeadRow({ labels, className, cellClassName }: { labels: readonly string[]; className: string; cellClassName: string }) {
  return (
    <thead className={className}>
      <tr>
        {labels.map((label) => (
          <th key={label} className={`${cellClassName} font-normal`}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

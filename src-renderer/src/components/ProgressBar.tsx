/** A determinate bar when `total` is known, an indeterminate one while it is not. */
export function ProgressBar({
  value,
  total,
  label,
}: {
  value: number;
  total: number | null;
  label: string;
}) {
  const known = total !== null && total > 0;
  return (
    <div
      className={known ? 'progress' : 'progress progress-indeterminate'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      {...(known ? { 'aria-valuemax': total, 'aria-valuenow': Math.min(value, total) } : {})}
    >
      <div
        className="progress-fill"
        style={known ? { width: `${(100 * Math.min(value, total)) / total}%` } : {}}
      />
    </div>
  );
}

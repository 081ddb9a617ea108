/**
 * A destructive action asked once more in place: the question, the action, and Keep, which has
 * the focus (the safe choice) and cancels.
 */
export function InlineConfirm({
  question,
  action,
  onConfirm,
  onKeep,
  className,
}: {
  question: string;
  action: string;
  onConfirm: () => void;
  onKeep: () => void;
  className: string;
}) {
  return (
    <div className={className}>
      <p>{question}</p>
      <div className="button-row">
        <button type="button" className="button button-danger button-small" onClick={onConfirm}>
          {action}
        </button>
        <button type="button" className="button button-small" autoFocus onClick={onKeep}>
          Keep
        </button>
      </div>
    </div>
  );
}

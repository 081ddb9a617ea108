export interface WeakerMatchesToggleProps {
  showWeaker: boolean;
  onChange: (showWeaker: boolean) => void;
  /** Nothing to show or hide: no weak hit among the results. */
  disabled: boolean;
}

/** "Show weaker matches": the relevance cut-off's one control ([Note: Best matches first]). */
export function WeakerMatchesToggle({ showWeaker, onChange, disabled }: WeakerMatchesToggleProps) {
  return (
    <label className="weaker-toggle">
      <input
        type="checkbox"
        role="switch"
        checked={showWeaker}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>Show weaker matches</span>
    </label>
  );
}

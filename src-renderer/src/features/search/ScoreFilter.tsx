import { formatScore } from '../../format';

export interface ScoreFilterProps {
  minScore: number;
  onChange: (minScore: number) => void;
}

/**
 * [Note: Score cut-off] Scores are the model's cosine similarity, shown on every result. The
 * slider hides results below a minimum score (users ask for it: immich#5996, rclip#207). It
 * starts at 0, which means off (cosine scores can be negative, and they are shown too), because
 * good scores differ between models and between text and image queries; the choice is remembered.
 */
export function ScoreFilter({ minScore, onChange }: ScoreFilterProps) {
  return (
    <label className="score-filter">
      <span>Hide below</span>
      <input
        type="range"
        min={0}
        max={1}
        step={0.01}
        value={minScore}
        aria-label="Minimum score"
        aria-valuetext={minScore === 0 ? 'off' : formatScore(minScore)}
        onChange={(event) => onChange(Number(event.target.value))}
      />
      <output className="score-filter-value">
        {minScore === 0 ? 'off' : formatScore(minScore)}
      </output>
    </label>
  );
}

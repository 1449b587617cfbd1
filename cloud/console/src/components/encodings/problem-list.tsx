import { type BundleProblem, problemPlace } from '../../api/encodings-api';

/**
 * Every problem of a refused bundle (ENCODING_INVALID, docs/encoding-format.md), each a
 * button that opens its file at its line. The list is announced when it appears (an alert
 * region), so a screen reader user hears that the push was refused and why.
 */
export function ProblemList({
  problems,
  selected,
  onShow,
}: {
  problems: BundleProblem[];
  selected: number | undefined;
  onShow: (index: number) => void;
}) {
  return (
    <section class="problems" aria-labelledby="problems-heading">
      <h2 id="problems-heading">
        The bundle was refused: {problems.length} problem{problems.length === 1 ? '' : 's'}
      </h2>
      <p class="visually-hidden" role="alert">
        The bundle was refused with {problems.length} problem{problems.length === 1 ? '' : 's'}.
      </p>
      <ol class="problem-list">
        {problems.map((problem, index) => (
          <li key={`${problemPlace(problem)}-${problem.code}-${index}`}>
            {problem.file ? (
              <button
                type="button"
                class={`problem-button${selected === index ? ' problem-button-current' : ''}`}
                aria-pressed={selected === index}
                onClick={() => onShow(index)}
              >
                <span class="problem-place mono">{problemPlace(problem)}</span>
                <span class="problem-message">{problem.message}</span>
                <span class="problem-code mono">{problem.code}</span>
              </button>
            ) : (
              <span class="problem-button problem-static">
                <span class="problem-place">{problemPlace(problem)}</span>
                <span class="problem-message">{problem.message}</span>
                <span class="problem-code mono">{problem.code}</span>
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

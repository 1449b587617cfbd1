import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** A note shown beside one line of a file (a problem of a refused bundle). */
export interface LineNote {
  line: number;
  column?: number | undefined;
  text: string;
}

/**
 * A file's text as a numbered list of lines (an <ol>, each line saying its number). Text
 * nodes only — never
 * innerHTML — so a bundle's content can never become markup. `highlight` marks one line,
 * scrolls it into view and takes focus, so a keyboard user who chose a problem lands on it.
 */
export function SourceLines({
  name,
  text,
  notes = [],
  highlight,
}: {
  name: string;
  text: string;
  notes?: LineNote[];
  highlight?: number | undefined;
}) {
  const marked = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLOListElement>(null);
  // A list taller than its box scrolls: it then takes focus, so keyboard users can scroll it too (WCAG 2.1.1).
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const element = list.current;
    if (element) setScrolls(element.scrollHeight > element.clientHeight + 1);
  });
  useEffect(() => {
    if (highlight === undefined) return;
    marked.current?.scrollIntoView?.({ block: 'nearest' });
    marked.current?.focus();
  }, [highlight, name]);
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  return (
    <ol class="source-lines" aria-label={`Source of ${name}`} ref={list} tabIndex={scrolls ? 0 : undefined}>
      {lines.map((line, index) => {
        const number = index + 1;
        const here = notes.filter((n) => n.line === number);
        const current = number === highlight;
        const classes = [
          'source-line',
          here.length ? 'source-line-noted' : '',
          current ? 'source-line-current' : '',
        ]
          .filter(Boolean)
          .join(' ');
        return (
          <li
            key={number}
            class={classes}
            ref={current ? marked : null}
            tabIndex={current ? -1 : undefined}
            aria-current={current ? 'location' : undefined}
            data-line={number}
          >
            <span class="source-number">
              <span class="visually-hidden">line </span>
              {number}
            </span>
            <code class="source-text">{line === '' ? ' ' : line}</code>
            {here.map((note) => (
              <span class="source-note" key={`${note.column ?? 0}-${note.text}`}>
                <span class="visually-hidden">Problem: </span>
                {note.column ? `col ${note.column}: ` : ''}
                {note.text}
              </span>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

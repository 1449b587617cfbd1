import type { ComponentChildren, JSX } from 'preact';
import { href, navigate } from '../router';

/** An in-console link: a real <a href> (open in new tab, copy address), navigated in place. */
export function Link({
  to,
  children,
  ...rest
}: { to: string; children: ComponentChildren } & Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'>) {
  return (
    <a
      {...rest}
      href={href(to)}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
          return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

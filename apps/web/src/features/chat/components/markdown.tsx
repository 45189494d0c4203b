import { memo, type ReactNode } from 'react';
import ReactMarkdown, { type Components, type ExtraProps, type UrlTransform } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './code-block';
import './markdown.css';

type HastElement = NonNullable<ExtraProps['node']>;

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/**
 * Only absolute http(s) and mailto URLs survive; anything else (javascript:, data:, vbscript:,
 * relative paths into the API) is dropped, so the element renders without it.
 */
const safeUrl: UrlTransform = (url) => {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
};

/** The text of a hast subtree: what a code block's copy button copies. */
function textOf(node: HastElement['children'][number] | HastElement): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return node.children.map((child) => textOf(child)).join('');
  return '';
}

/** The fence's language from the <code> element's `language-…` class (rehype-highlight keeps it). */
function languageOf(code: HastElement): string | null {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return null;
  for (const name of classes) {
    if (typeof name === 'string' && name.startsWith('language-')) return name.slice('language-'.length);
  }
  return null;
}

const NEW_TAB = <span className="visually-hidden"> (opens in a new tab)</span>;

/** GFM's column alignment as a class: the default would be a style attribute, which the CSP forbids. */
function alignClass(style: unknown): string | undefined {
  if (typeof style !== 'object' || style === null || !('textAlign' in style)) return undefined;
  const align = style.textAlign;
  return align === 'center' || align === 'right' || align === 'left' ? `markdown__align-${align}` : undefined;
}

function heading(level: 3 | 4 | 5 | 6, source: number) {
  const Tag = `h${level}` as const;
  // An answer's headings sit under the page's h1 and the message's h2: shift them down.
  return function MarkdownHeading({ children }: { children?: ReactNode }) {
    return <Tag className={`markdown__h markdown__h${source}`}>{children}</Tag>;
  };
}

const COMPONENTS: Components = {
  a({ href, children }) {
    if (!href) return <span className="markdown__dead-link">{children}</span>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
        {NEW_TAB}
      </a>
    );
  },
  // Images are not fetched from wherever the model points: they become links a person may follow.
  img({ src, alt }) {
    const label = alt ? `Image: ${alt}` : 'Image';
    if (typeof src !== 'string' || !src) return <span className="markdown__image-link">{label}</span>;
    return (
      <a className="markdown__image-link" href={src} target="_blank" rel="noopener noreferrer nofollow">
        {label}
        {NEW_TAB}
      </a>
    );
  },
  pre({ node, children }) {
    const code = node?.children.find((child): child is HastElement => child.type === 'element' && child.tagName === 'code');
    return (
      <CodeBlock language={code ? languageOf(code) : null} code={code ? textOf(code).replace(/\n$/, '') : ''}>
        {children}
      </CodeBlock>
    );
  },
  th({ style, children }) {
    return <th className={alignClass(style)}>{children}</th>;
  },
  td({ style, children }) {
    return <td className={alignClass(style)}>{children}</td>;
  },
  table({ children }) {
    return (
      <div className="markdown__table-scroll">
        <table>{children}</table>
      </div>
    );
  },
  // GFM task list items: a read-only box with a name.
  input({ type, checked }) {
    if (type !== 'checkbox') return null;
    return <input type="checkbox" checked={checked ?? false} disabled readOnly aria-label={checked ? 'Done' : 'Not done'} />;
  },
  // Answers mostly start at "##": both top levels become h3, so no level is skipped under the message's h2.
  h1: heading(3, 1),
  h2: heading(3, 2),
  h3: heading(4, 3),
  h4: heading(5, 4),
  h5: heading(6, 5),
  h6: heading(6, 6),
};

const REMARK_PLUGINS = [remarkGfm];
// Only fences that name a language are coloured (no guessing): rehype-highlight's default.
const REHYPE_PLUGINS = [rehypeHighlight];

/**
 * An answer's Markdown, rendered safely: raw HTML shows as text (no rehype-raw), links are
 * http(s)/mailto only and open in a new tab, images are links, and code is coloured by classes,
 * never by style attributes (docs/web.md "Chat rendering").
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={REMARK_PLUGINS} rehypePlugins={REHYPE_PLUGINS} components={COMPONENTS} urlTransform={safeUrl}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

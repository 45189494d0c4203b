import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Markdown } from './markdown';

function renderMarkdown(text: string) {
  return render(<Markdown text={text} />).container;
}

/** Every way a rendered answer could run script: elements, handlers, script URLs, inline styles. */
function expectInert(container: HTMLElement) {
  expect(container.querySelector('script, iframe, object, embed, style')).toBeNull();
  expect(container.querySelectorAll('img')).toHaveLength(0);
  for (const element of container.querySelectorAll('*')) {
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith('on'), `${element.tagName} has ${attribute}`).toBe(false);
      expect(attribute, `${element.tagName} has a style attribute`).not.toBe('style');
      const value = element.getAttribute(attribute) ?? '';
      expect(/^\s*(javascript|vbscript|data):/i.test(value), `${element.tagName} ${attribute}=${value}`).toBe(false);
    }
  }
}

describe('Markdown', () => {
  it('renders raw HTML as text, never as elements', () => {
    const container = renderMarkdown(
      'Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<a href="javascript:alert(3)">x</a>',
    );
    expectInert(container);
    expect(container.textContent).toContain('<script>alert(1)</script>');
    expect(container.querySelector('a')).toBeNull();
  });

  it('keeps a javascript: link as text without an href', () => {
    const container = renderMarkdown('[click me](javascript:alert(1)) and [also](JaVaScRiPt:alert(1)) and <javascript:alert(1)>');
    expectInert(container);
    expect(container.querySelector('a')).toBeNull();
    expect(screen.getByText('click me')).toHaveProperty('tagName', 'SPAN');
  });

  it('drops data: and relative URLs, keeps http(s) and mailto opening in a new tab', () => {
    const container = renderMarkdown('[a](data:text/html,x) [b](/api/auth/logout) [c](https://example.com/x) [d](mailto:x@example.com)');
    expectInert(container);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com/x', 'mailto:x@example.com']);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
  });

  it('turns images into links instead of loading them', () => {
    const container = renderMarkdown('![a cat](https://example.com/cat.png) ![x](javascript:alert(1))');
    expectInert(container);
    const link = screen.getByRole('link', { name: /Image: a cat/ });
    expect(link.getAttribute('href')).toBe('https://example.com/cat.png');
    expect(screen.getByText('Image: x').tagName).toBe('SPAN');
  });

  it('renders a code block with its language, token classes and a copy button', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const container = renderMarkdown('```python\ndef f(x):\n    return "hi"  # greet\n```');
    expectInert(container);
    expect(container.querySelector('.code-block__language')?.textContent).toBe('python');
    expect(container.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(container.querySelector('.hljs-string')?.textContent).toBe('"hi"');
    fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('def f(x):\n    return "hi"  # greet');
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeTruthy();
  });

  it('labels a block without a language "text" and still offers copy', () => {
    const container = renderMarkdown('```\nplain\n```');
    expect(container.querySelector('.code-block__language')?.textContent).toBe('text');
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeTruthy();
  });

  it('renders GFM tables with alignment as classes, not style attributes', () => {
    const container = renderMarkdown('| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n> quoted\n\n~~gone~~');
    expectInert(container);
    expect(container.querySelector('th')?.className).toBe('markdown__align-center');
    expect(container.querySelector('td:last-child')?.className).toBe('markdown__align-right');
    expect(screen.getByRole('checkbox', { name: 'Done' })).toHaveProperty('checked', true);
    expect(container.querySelector('blockquote')?.textContent).toContain('quoted');
  });

  it('shifts headings below the message heading', () => {
    const container = renderMarkdown('# Title\n\n## Part\n\n### Detail');
    expect([...container.querySelectorAll('h3')].map((heading) => heading.textContent)).toEqual(['Title', 'Part']);
    expect(container.querySelector('h4')?.textContent).toBe('Detail');
    expect(container.querySelector('h1, h2')).toBeNull();
  });
});

import type { Page } from 'playwright-core';

/** The tablet sizes centers really have: stands turn them either way; 1024×768 is the common budget tablet. */
export const TABLET_VIEWPORTS = [
  { width: 601, height: 962 },
  { width: 768, height: 1024 },
  { width: 800, height: 1280 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

export interface LayoutProblem {
  problem: 'off-screen' | 'label-broken';
  element: string;
  detail: string;
}

/**
 * What a person at the tablet would see wrong, measured in the page:
 * - off-screen: a visible control, heading or text box reaches past the left or right edge of the
 *   window (the body does not scroll sideways on a kiosk, so whatever is out there is lost);
 * - label-broken: a short label with no space or punctuation (我的记录, 洗衣液, 大米5kg) is
 *   broken over two lines inside a word.
 * Elements inside a scrolling box that clips them (a table that scrolls sideways) are skipped.
 */
export async function layoutProblems(page: Page, selector = 'body'): Promise<LayoutProblem[]> {
  return page.evaluate((rootSelector) => {
    const problems: { problem: 'off-screen' | 'label-broken'; element: string; detail: string }[] = [];
    const root = document.querySelector(rootSelector);
    if (!root) return problems;
    const width = window.innerWidth;
    const describe = (element: Element) => {
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      const classes = element.getAttribute('class') ?? '';
      return `<${element.tagName.toLowerCase()}${classes ? ` class="${classes}"` : ''}> ${text}`;
    };
    const visible = (element: Element) => {
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      const rect = element.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0;
    };
    // An ancestor that scrolls sideways shows its overflow on purpose (wide tables).
    const insideSideScroller = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        const overflowX = getComputedStyle(parent).overflowX;
        if ((overflowX === 'auto' || overflowX === 'scroll') && parent.scrollWidth > parent.clientWidth) return true;
      }
      return false;
    };
    const checked = root.querySelectorAll('button, input, select, textarea, label, h1, h2, h3, p, output, a, th, td, li, dt, dd, time, video, .badge, [data-testid]');
    for (const element of checked) {
      if (!visible(element) || insideSideScroller(element)) continue;
      const rect = element.getBoundingClientRect();
      if (rect.left < -1 || rect.right > width + 1) {
        problems.push({ problem: 'off-screen', element: describe(element), detail: `x ${Math.round(rect.left)}…${Math.round(rect.right)} of ${width}` });
      }
    }
    // A label is short text with no natural break: nothing but letters, digits and CJK characters.
    const labels = root.querySelectorAll('button, label, th, h1, h2, h3, dt, .goods-name, .nav__item, a');
    for (const element of labels) {
      if (!visible(element)) continue;
      for (const node of element.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE) continue;
        const text = (node.textContent ?? '').trim();
        if (text.length < 2 || text.length > 12 || !/^[\p{L}\p{N}]+$/u.test(text)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) problems.push({ problem: 'label-broken', element: describe(element), detail: `${text} on ${tops.size} lines` });
      }
    }
    return problems;
  }, selector);
}

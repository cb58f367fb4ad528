import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LoadState, useLoad } from './useLoad';
import { type Page, type PagedList, usePagedList } from './usePagedList';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function settle() {
  for (let i = 0; i < 3; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

/** A promise the test settles by hand, and the signal it was asked with. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useLoad', () => {
  function mount(load: (id: string, signal: AbortSignal) => Promise<string>, id: string, options = {}) {
    const seen: { state: LoadState<string> | null } = { state: null };
    function Probe({ id }: { id: string }) {
      seen.state = useLoad((signal) => load(id, signal), [id], options);
      return null;
    }
    act(() => render(<Probe id={id} />, root));
    return { seen, rerender: (next: string) => act(() => render(<Probe id={next} />, root)) };
  }

  it('loads, then reports the data', async () => {
    const { seen } = mount(async (id) => `data for ${id}`, 'a');
    expect(seen.state?.loading).toBe(true);
    await settle();
    expect(seen.state).toMatchObject({ data: 'data for a', error: null, loading: false });
  });

  it('aborts the request it no longer needs and ignores its late answer', async () => {
    const calls: { id: string; signal: AbortSignal; d: ReturnType<typeof deferred<string>> }[] = [];
    const { seen, rerender } = mount((id, signal) => {
      const d = deferred<string>();
      calls.push({ id, signal, d });
      return d.promise;
    }, 'a');
    rerender('b');
    expect(calls.map((c) => c.id)).toEqual(['a', 'b']);
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[1]!.d.resolve('B');
    calls[0]!.d.resolve('A (late)');
    await settle();
    expect(seen.state?.data).toBe('B');
  });

  it('keeps the error, and reload tries again', async () => {
    let fail = true;
    const load = vi.fn(async () => {
      if (fail) throw new Error('down');
      return 'ok';
    });
    const { seen } = mount(load, 'a');
    await settle();
    expect(seen.state?.error).toBeInstanceOf(Error);
    expect(seen.state?.data).toBeNull();
    fail = false;
    act(() => seen.state!.reload());
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
    expect(seen.state).toMatchObject({ data: 'ok', error: null });
  });

  it('waits while disabled, and set replaces the data', async () => {
    const load = vi.fn(async () => 'x');
    const { seen } = mount(load, 'a', { enabled: false });
    await settle();
    expect(load).not.toHaveBeenCalled();
    expect(seen.state?.loading).toBe(false);
    act(() => seen.state!.set('by hand'));
    expect(seen.state?.data).toBe('by hand');
  });

  it('with keepData shows the last data while the next loads', async () => {
    const d = deferred<string>();
    const load = vi.fn((id: string) => (id === 'a' ? Promise.resolve('A') : d.promise));
    const { seen, rerender } = mount(load, 'a', { keepData: true });
    await settle();
    rerender('b');
    expect(seen.state).toMatchObject({ data: 'A', loading: true });
    d.resolve('B');
    await settle();
    expect(seen.state?.data).toBe('B');
  });
});

describe('usePagedList', () => {
  const pages: Record<string, Page<number>> = {
    start: { items: [1, 2], next_cursor: 'c2' },
    c2: { items: [3, 4], next_cursor: 'c3' },
    c3: { items: [5], next_cursor: null },
  };

  function mount(fetchPage: (q: string, cursor: string | null, signal?: AbortSignal) => Promise<Page<number>>, q = 'q') {
    const seen: { list: PagedList<number> | null } = { list: null };
    function Probe({ q }: { q: string }) {
      seen.list = usePagedList<number>((cursor, signal) => fetchPage(q, cursor, signal), [q]);
      return null;
    }
    act(() => render(<Probe q={q} />, root));
    return { seen, rerender: (next: string) => act(() => render(<Probe q={next} />, root)) };
  }

  it('loads the first page, then appends each next page until there are no more', async () => {
    const fetchPage = vi.fn(async (_q: string, cursor: string | null) => pages[cursor ?? 'start']!);
    const { seen } = mount(fetchPage);
    await settle();
    expect(seen.list).toMatchObject({ items: [1, 2], hasMore: true, loading: false });
    let page: Page<number> | null = null;
    await act(async () => {
      page = await seen.list!.loadMore();
    });
    expect(page).toEqual(pages.c2);
    expect(seen.list?.items).toEqual([1, 2, 3, 4]);
    await act(async () => {
      await seen.list!.loadMore();
    });
    expect(seen.list).toMatchObject({ items: [1, 2, 3, 4, 5], hasMore: false, loadingMore: false });
    await act(async () => {
      expect(await seen.list!.loadMore()).toBeNull();
    });
    expect(fetchPage.mock.calls.map((c) => c[1])).toEqual([null, 'c2', 'c3']);
  });

  it('starts again when the inputs change and drops a late page for the old inputs', async () => {
    const late = deferred<Page<number>>();
    const fetchPage = vi.fn((q: string, cursor: string | null) => {
      if (q === 'old' && cursor === 'c2') return late.promise;
      return Promise.resolve(q === 'new' ? { items: [9], next_cursor: null } : pages[cursor ?? 'start']!);
    });
    const { seen, rerender } = mount(fetchPage, 'old');
    await settle();
    let more: Promise<Page<number> | null> | null = null;
    act(() => {
      more = seen.list!.loadMore();
    });
    expect(seen.list?.loadingMore).toBe(true);
    rerender('new');
    await settle();
    late.resolve(pages.c2!);
    await act(async () => {
      expect(await more).toBeNull();
    });
    expect(seen.list).toMatchObject({ items: [9], hasMore: false, loadingMore: false });
  });

  it('reports a failed first page, keeps the items when a later page fails, and can start again', async () => {
    let failFirst = true;
    const fetchPage = vi.fn(async (_q: string, cursor: string | null) => {
      if (cursor === null && failFirst) throw new Error('down');
      if (cursor === 'c2') throw new Error('more failed');
      return pages.start!;
    });
    const { seen } = mount(fetchPage);
    await settle();
    expect(seen.list?.error).toBeInstanceOf(Error);
    expect(seen.list?.items).toBeNull();
    failFirst = false;
    act(() => seen.list!.reload());
    await settle();
    expect(seen.list).toMatchObject({ items: [1, 2], error: null });
    await act(async () => {
      await expect(seen.list!.loadMore()).rejects.toThrow('more failed');
    });
    expect(seen.list).toMatchObject({ items: [1, 2], hasMore: true, loadingMore: false });
    act(() => seen.list!.setItems((items) => items.filter((n) => n !== 1)));
    expect(seen.list?.items).toEqual([2]);
  });
});

describe('usePagedList with keepItems', () => {
  it('keeps the loaded items on screen while a reload is under way', async () => {
    const next = deferred<Page<number>>();
    let calls = 0;
    const seen: { list: PagedList<number> | null } = { list: null };
    function Probe() {
      seen.list = usePagedList<number>(() => (++calls === 1 ? Promise.resolve({ items: [1], next_cursor: null }) : next.promise), [], {
        keepItems: true,
      });
      return null;
    }
    act(() => render(<Probe />, root));
    await settle();
    act(() => seen.list!.reload());
    expect(seen.list).toMatchObject({ items: [1], loading: true });
    next.resolve({ items: [1, 2], next_cursor: 'more' });
    await settle();
    expect(seen.list).toMatchObject({ items: [1, 2], hasMore: true, loading: false });
  });
});

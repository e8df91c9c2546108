/** Small line icons (24×24 paths), so the toolbar needs no icon font. */
const PATHS: Record<string, string> = {
  new: 'M6 3h8l4 4v14H6zM14 3v4h4M12 11v6M9 14h6',
  open: 'M3 7h6l2 2h10v10H3zM3 7V5h6',
  save: 'M5 3h11l3 3v15H5zM8 3v5h7V3M8 21v-7h8v7',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 010 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 000 12h3',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  paste: 'M9 4h6v3H9zM7 5H5v16h14V5h-2',
  duplicate: 'M8 8h12v12H8zM4 16V4h12M14 11v6M11 14h6',
  delete: 'M4 7h16M10 11v6M14 11v6M6 7l1 14h10l1-14M9 7V4h6v3',
  layout: 'M3 5h6v5H3zM15 14h6v5h-6zM15 5h6v5h-6zM9 7.5h6M12 7.5v9h3',
  fit: 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5',
  select: 'M4 4h4M12 4h4M20 4v4M20 12v4M4 8v4M4 16v4h4M12 20h4M13 13l7 2-3 1-1 3z',
  help: 'M12 21a9 9 0 110-18 9 9 0 010 18zM9.5 9a2.5 2.5 0 114 2c-1 .7-1.5 1.2-1.5 2.5M12 17h.01',
  export: 'M12 3v12M7 8l5-5 5 5M5 15v6h14v-6',
  import: 'M12 15V3M7 10l5 5 5-5M5 15v6h14v-6',
  close: 'M6 6l12 12M18 6L6 18',
  inspector: 'M3 4h18v16H3zM15 4v16M17.5 8h1M17.5 11h1',
  text: 'M4 18L9 6l5 12M5.8 14h6.4M15 18l3-7 3 7M15.9 16h4.2',
  gallery: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  lesson: 'M3 5h6a3 3 0 013 3v12a2 2 0 00-2-2H3zM21 5h-6a3 3 0 00-3 3v12a2 2 0 012-2h7z',
};

export function Icon({ name, size = 18 }: { name: keyof typeof PATHS | string; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false">
      <path d={PATHS[name] ?? ''} />
    </svg>
  );
}

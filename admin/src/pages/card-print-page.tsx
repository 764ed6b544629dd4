import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api/client.ts';
import type { Page as ListPage, VolunteerView } from '../api/types.ts';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useMessages } from '../i18n/index.tsx';
import { navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAction } from '../use-resource.ts';

/** Two columns of five ID-1 cards (85.6 × 54 mm, the size of a bank card) fill an A4 sheet. */
const CARDS_PER_SHEET = 10;
const LIST_PAGE = 500;

async function volunteersToPrint(search: URLSearchParams): Promise<VolunteerView[]> {
  const ids = search.get('ids')?.split(',').filter(Boolean);
  const wanted = ids ? new Set(ids) : undefined;
  // "Everyone" means the active register; a selection prints exactly what was chosen.
  const filters = wanted ? {} : { status: 'active', teamId: search.get('teamId') ?? undefined, cardPrinted: search.get('unprinted') ? 'false' : undefined };
  const found: VolunteerView[] = [];
  for (let offset = 0; ; offset += LIST_PAGE) {
    const page = await api.get<ListPage<VolunteerView>>(`/volunteers${query({ ...filters, limit: LIST_PAGE, offset })}`);
    found.push(...page.items.filter((v) => !wanted || wanted.has(v.id)));
    if (offset + LIST_PAGE >= page.total || (wanted && found.length === wanted.size)) break;
  }
  return found;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * A print-ready A4 page of cards. The QR image is the server's qr.png, the very PNG whose mask
 * was checked to decode with the kiosk's ZXing and with zbar (DESIGN section 7), so what is
 * printed is what was verified.
 */
export function CardPrintPage() {
  const m = useMessages();
  const { settings, can } = useSession();
  const { search } = useLocation();
  const [volunteers, setVolunteers] = useState<VolunteerView[]>();
  const [failure, setFailure] = useState<ApiError>();
  const [loaded, setLoaded] = useState(0);
  const searchText = search.toString();

  useEffect(() => {
    setVolunteers(undefined);
    setLoaded(0);
    volunteersToPrint(new URLSearchParams(searchText)).then(setVolunteers, (error: unknown) => {
      if (error instanceof ApiError) setFailure(error);
      else throw error;
    });
  }, [searchText]);

  const ready = volunteers !== undefined && loaded >= volunteers.length;
  const mark = useAction();
  const [marked, setMarked] = useState<number>();
  const markPrinted = () =>
    void mark.run(async () => {
      const result = await api.post<{ marked: number }>('/volunteers/cards/printed', { ids: volunteers!.map((v) => v.id) });
      setMarked(result.marked);
    });
  const back = () => (window.history.length > 1 ? window.history.back() : navigate('/volunteers'));

  return (
    <div class="print-page" data-ready={ready ? 'true' : 'false'}>
      <header class="print-toolbar no-print">
        <button class="button" onClick={back}>
          ← {m.common.back}
        </button>
        <div class="print-toolbar__info">
          <strong>{m.cards.title}</strong>
          <span>{volunteers ? m.cards.summary(volunteers.length, Math.ceil(volunteers.length / CARDS_PER_SHEET)) : m.common.loading}</span>
          <span class="muted">{m.cards.printHint}</span>
        </div>
        <button class="button button--primary" disabled={!ready || volunteers.length === 0} onClick={() => window.print()}>
          {ready ? m.cards.print : m.cards.preparing}
        </button>
        {can('volunteers:write') && (
          // Staff confirm once the sheets are out of the printer; a cancelled print dialog marks nothing.
          <button class="button" disabled={!ready || volunteers.length === 0 || mark.busy} onClick={markPrinted}>
            {m.cards.markPrinted}
          </button>
        )}
      </header>
      {marked !== undefined && <p class="notice no-print">{m.cards.markedPrinted(marked)}</p>}
      <ErrorNotice error={failure ?? mark.failure} />
      {!volunteers && !failure && <Loading />}
      {volunteers?.length === 0 && <p class="notice no-print">{m.cards.none}</p>}
      {volunteers &&
        chunks(volunteers, CARDS_PER_SHEET).map((sheet, index) => (
          <div class="sheet" key={index}>
            {sheet.map((v) => (
              <article class="card" key={v.id} data-card-no={v.cardNo}>
                <div class="card__text">
                  <p class="card__center">{settings.centerName}</p>
                  <p class="card__name">{v.name}</p>
                  <p class="card__line">
                    {m.cards.cardNo} <span class="mono">{v.cardNo}</span>
                  </p>
                  {v.teamNames.filter(Boolean).length > 0 && <p class="card__line">{v.teamNames.filter(Boolean).join('、')}</p>}
                  <p class="card__footer">{m.cards.footer}</p>
                </div>
                <img
                  class="card__qr"
                  // The serial in the URL keeps a browser from showing a cached image of the card before a reissue.
                  src={`/api/volunteers/${v.id}/qr.png?serial=${v.cardSerial}`}
                  alt={m.cards.qrAlt(v.cardNo)}
                  onLoad={() => setLoaded((n) => n + 1)}
                  onError={() => setFailure(new ApiError(0, 'NETWORK', 'qr image'))}
                />
              </article>
            ))}
          </div>
        ))}
    </div>
  );
}

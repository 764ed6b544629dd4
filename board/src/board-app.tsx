import { io, type Socket } from 'socket.io-client';
import { useEffect, useState } from 'preact/hooks';
import type { BoardState } from '@protocol/board.ts';
import type { BoardClientEvents, BoardServerEvents } from '@protocol/events.ts';
import { fetchBoard, forgetPairing, loadPairing, pairWithCode, RequestFailed, type BoardPairing } from './access.ts';
import { BoardSync } from './board-sync.ts';
import { Celebration, type CelebrationItem } from './components/celebration.tsx';
import { Clock } from './components/clock.tsx';
import { catalogs, chooseLanguage, MessagesContext } from './i18n/index.ts';
import { LiveBoard } from './screens/live-board.tsx';
import { NoticeBoard } from './screens/notice-board.tsx';
import { PairingScreen } from './screens/pairing-screen.tsx';
import type { WishWall } from '@protocol/service.ts';
import { followWishes } from './wishes/wish-feed.ts';
import { WishWallBoard } from './wishes/wish-wall-board.tsx';

type Access = { kind: 'checking' } | { kind: 'unpaired'; reason?: 'failed' | 'network' | 'revoked' } | { kind: 'ready'; pairing: BoardPairing | null };

const CELEBRATION_MS = 7_000;
/** A burst of new stars is celebrated a few at a time; the rest are on the honour roll anyway. */
const CELEBRATIONS_QUEUED = 5;
/** In turn: the live board this long, then the notice in its notice period. */
const LIVE_MS = 60_000;
const NOTICE_MS = 20_000;
const WISHES_MS = 30_000;

/** Pairs (or finds the staff session), then keeps the board live. */
export function BoardApp({ pairingCode }: { pairingCode: string | null }) {
  const [access, setAccess] = useState<Access>({ kind: 'checking' });

  const tryAccess = async (code: string | null) => {
    if (code) setAccess({ kind: 'checking' });
    try {
      if (code) await pairWithCode(code);
    } catch (error) {
      setAccess({ kind: 'unpaired', reason: error instanceof RequestFailed && error.code === 'NETWORK' ? 'network' : 'failed' });
      return;
    }
    const pairing = loadPairing();
    try {
      await fetchBoard(pairing);
      setAccess({ kind: 'ready', pairing });
    } catch (error) {
      const code = error instanceof RequestFailed ? error.code : 'NETWORK';
      if (code === 'DEVICE_TOKEN_INVALID' || code === 'DEVICE_MODE_FORBIDDEN') forgetPairing();
      // Unreachable at start-up (the PC is still booting): keep trying rather than ask to pair again.
      if (code === 'NETWORK' || code === 'INTERNAL_ERROR') setTimeout(() => void tryAccess(null), 5_000);
      else setAccess({ kind: 'unpaired', ...(pairing ? { reason: 'revoked' as const } : {}) });
    }
  };

  useEffect(() => {
    void tryAccess(pairingCode);
  }, []);

  if (access.kind === 'ready') return <LiveScreen pairing={access.pairing} onRevoked={() => setAccess({ kind: 'unpaired', reason: 'revoked' })} />;
  const messages = catalogs[chooseLanguage(undefined)];
  return (
    <MessagesContext.Provider value={messages}>
      {access.kind === 'unpaired' ? <PairingScreen reason={access.reason} onCode={(code) => void tryAccess(code)} /> : <div class="loading">{messages.connection.loading}</div>}
    </MessagesContext.Provider>
  );
}

function LiveScreen({ pairing, onRevoked }: { pairing: BoardPairing | null; onRevoked(): void }) {
  const [state, setState] = useState<BoardState | null>(null);
  const [online, setOnline] = useState(false);
  const [celebrations, setCelebrations] = useState<CelebrationItem[]>([]);
  const [wishes, setWishes] = useState<WishWall | null>(null);
  const view = useViewTurn(!!state?.notice, !!wishes && hasWishes(wishes));

  useEffect(() => {
    // A staff session travels as the cookie of the same origin; a board device shows its token.
    const socket: Socket<BoardServerEvents, BoardClientEvents> = io('/board', { auth: pairing ? { token: pairing.token } : {}, reconnectionDelay: 1_000, reconnectionDelayMax: 5_000 });
    socket.on('connect_error', (error) => {
      if (error.message === 'DEVICE_TOKEN_INVALID') {
        forgetPairing();
        onRevoked();
      }
    });
    const sync = new BoardSync({
      socket,
      fetchBoard: () => fetchBoard(pairing),
      onState: setState,
      onConnection: setOnline,
      onEvent: (change) => {
        if (!change.volunteer.newStar) return;
        const item = { key: `${change.attendanceId}:${change.version}`, displayName: change.volunteer.displayName, stars: change.volunteer.stars };
        setCelebrations((queue) => (queue.length >= CELEBRATIONS_QUEUED ? queue : [...queue, item]));
      },
    });
    const stopWishes = followWishes(socket, pairing, setWishes);
    return () => {
      stopWishes();
      sync.stop();
      socket.close();
    };
  }, [pairing?.token]);

  useEffect(() => {
    if (celebrations.length === 0) return;
    const timer = setTimeout(() => setCelebrations((queue) => queue.slice(1)), CELEBRATION_MS);
    return () => clearTimeout(timer);
  }, [celebrations[0]?.key]);

  const messages = catalogs[chooseLanguage(state?.defaultLanguage)];
  useEffect(() => {
    document.documentElement.lang = messages.htmlLang;
  }, [messages]);

  return (
    <MessagesContext.Provider value={messages}>
      <div class="board" data-version={state?.version ?? ''}>
        <header class="board-head">
          <div class="board-titles">
            <div class="board-center">{state?.centerName ?? ''}</div>
            <h1>{messages.boardTitle}</h1>
          </div>
          <div class={online ? 'connection online' : 'connection offline'}>
            <span class="connection-dot" />
            {state ? (online ? messages.connection.online : messages.connection.offline) : messages.connection.loading}
          </div>
          {state && <Clock timeZone={state.timeZone} />}
        </header>
        {state && (view === 'notice' && state.notice ? <NoticeBoard notice={state.notice} /> : view === 'wishes' && wishes ? <WishWallBoard wall={wishes} timeZone={state.timeZone} /> : <LiveBoard state={state} />)}
      </div>
      {celebrations[0] && <Celebration item={celebrations[0]} />}
    </MessagesContext.Provider>
  );
}

type BoardView = 'live' | 'wishes' | 'notice';

/** Whether the wish wall has anything to show: open or ongoing needs, or services done this month. */
function hasWishes(wall: WishWall): boolean {
  return wall.open.length + wall.inProgress.length + wall.month.completed > 0;
}

/**
 * What has the screen now: pinned with `?view=notice` or `?view=wishes`, else in turn the live
 * board, the wish wall (when it has something) and the notice (in its notice period).
 */
function useViewTurn(hasNotice: boolean, wishesShown: boolean): BoardView {
  const asked = new URL(window.location.href).searchParams.get('view');
  const pinned: BoardView | null = asked === 'notice' || asked === 'wishes' ? asked : null;
  const [turn, setTurn] = useState<BoardView>('live');
  useEffect(() => {
    if (pinned) return;
    const order: BoardView[] = ['live', ...(wishesShown ? (['wishes'] as const) : []), ...(hasNotice ? (['notice'] as const) : [])];
    if (order.length === 1) return setTurn('live');
    const lasts: Record<BoardView, number> = { live: LIVE_MS, wishes: WISHES_MS, notice: NOTICE_MS };
    let timer: ReturnType<typeof setTimeout>;
    const show = (index: number) => {
      const next = order[index % order.length]!;
      setTurn(next);
      timer = setTimeout(() => show(index + 1), lasts[next]);
    };
    show(0);
    return () => clearTimeout(timer);
  }, [hasNotice, wishesShown, pinned]);
  if (pinned === 'notice' && hasNotice) return 'notice';
  if (pinned === 'wishes') return 'wishes';
  return shownView(turn, hasNotice, wishesShown);
}

/** A turn that is no longer in the rotation (the notice period ended) gives the screen back to the live board. */
function shownView(turn: BoardView, hasNotice: boolean, wishesShown: boolean): BoardView {
  if (turn === 'notice' && !hasNotice) return 'live';
  if (turn === 'wishes' && !wishesShown) return 'live';
  return turn;
}

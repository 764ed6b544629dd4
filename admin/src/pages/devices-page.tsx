import { useState } from 'preact/hooks';
import type { DeviceMode } from '@protocol/model.ts';
import { deviceCreateSchema, deviceUpdateSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { DeviceView, DeviceWithPairing, Items, LanInfo } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useLiveRefresh } from '../live-feed.ts';
import { useAction, useResource } from '../use-resource.ts';
import { DigitLocksPanel } from './digit-locks-panel.tsx';

const modes: DeviceMode[] = ['checkin', 'counter', 'board'];

type Dialogs = { kind: 'add' } | { kind: 'pairing'; device: DeviceWithPairing } | { kind: 'rename' | 'revoke'; device: DeviceView } | null;

function stateOf(device: DeviceView): 'revoked' | 'online' | 'offline' | 'waiting' {
  if (device.revokedAt) return 'revoked';
  if (!device.pairedAt) return 'waiting';
  return device.online ? 'online' : 'offline';
}

/** Kiosks, counter tablets and the board: add one, pair it by its QR code, rename, revoke. */
export function DevicesPage() {
  const m = useMessages();
  const format = useFormat();
  // Presence, last seen and pairing arrive over the live feed (/admin): no polling while it is up.
  const devices = useResource<Items<DeviceView>>('/devices');
  const live = useLiveRefresh(['devices:changed'], () => void devices.reload());
  const [dialog, setDialog] = useState<Dialogs>(null);
  const action = useAction();
  const list = devices.data?.items ?? [];

  const newCode = (device: DeviceView) =>
    action.run(async () => {
      setDialog({ kind: 'pairing', device: await api.post<DeviceWithPairing>(`/devices/${device.id}/pairing-code`) });
      await devices.reload();
    });

  const columns: Column<DeviceView>[] = [
    { key: 'name', header: m.devices.name, cell: (d) => <strong>{d.name}</strong> },
    { key: 'mode', header: m.devices.mode, cell: (d) => m.deviceModes[d.mode] },
    {
      key: 'state',
      header: m.devices.state,
      cell: (d) => {
        const state = stateOf(d);
        return (
          <span class={`status status--${state}`} data-state={state}>
            {m.devices.states[state]}
          </span>
        );
      },
    },
    { key: 'lastSeen', header: m.devices.lastSeen, cell: (d) => format.dateTime(d.lastSeenAt) },
    { key: 'paired', header: m.devices.pairedAt, cell: (d) => format.dateTime(d.pairedAt) },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (d) =>
        !d.revokedAt && (
          <>
            <button class="button button--small" onClick={() => setDialog({ kind: 'rename', device: d })}>
              {m.devices.rename}
            </button>
            <button class="button button--small" onClick={() => void newCode(d)}>
              {m.devices.newCode}
            </button>
            <button class="button button--small button--quiet" onClick={() => setDialog({ kind: 'revoke', device: d })}>
              {m.devices.revoke}
            </button>
          </>
        ),
    },
  ];

  const close = () => {
    setDialog(null);
    void devices.reload();
  };
  const pairing = dialog?.kind === 'pairing' ? dialog.device : undefined;
  // The live feed keeps the pairing dialog honest: it turns to "paired" the moment the tablet trades its code.
  const pairedNow = pairing && list.find((d) => d.id === pairing.id)?.pairedAt;

  return (
    <Page
      title={m.nav.devices}
      subtitle={m.devices.intro}
      actions={
        <>
          <span class={`status${live ? ' status--online' : ''}`} data-live={live ? 'on' : 'off'}>
            {live ? m.devices.live : m.devices.reconnecting}
          </span>
          <button class="button button--primary" onClick={() => setDialog({ kind: 'add' })}>
            {m.devices.add}
          </button>
        </>
      }
    >
      <ErrorNotice error={action.failure ?? devices.error} />
      <DataTable label={m.nav.devices} columns={columns} rows={list} rowKey={(d) => d.id} empty={m.devices.none} rowClass={(d) => (d.revokedAt ? 'row--removed' : undefined)} />
      <DigitLocksPanel />
      {dialog?.kind === 'add' && <AddDeviceDialog onClose={close} onCreated={(device) => setDialog({ kind: 'pairing', device })} />}
      {pairing && <PairingDialog device={pairing} paired={!!pairedNow} onClose={close} />}
      {dialog?.kind === 'rename' && <RenameDialog device={dialog.device} onClose={close} />}
      {dialog?.kind === 'revoke' && (
        <Dialog title={m.devices.revoke} onClose={close}>
          <p>{m.devices.revokeWarning(dialog.device.name)}</p>
          <div class="form__actions">
            <button class="button" onClick={close}>
              {m.common.cancel}
            </button>
            <button
              class="button button--danger"
              onClick={() => {
                const { id } = dialog.device;
                setDialog(null);
                void action.run(() => api.post(`/devices/${id}/revoke`)).then(() => devices.reload());
              }}
            >
              {m.devices.revoke}
            </button>
          </div>
        </Dialog>
      )}
    </Page>
  );
}

function AddDeviceDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (device: DeviceWithPairing) => void }) {
  const m = useMessages();
  const form = useForm({ name: '', mode: 'checkin' as DeviceMode });
  return (
    <Dialog title={m.devices.add} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(deviceCreateSchema, form.values, async (input) => onCreated(await api.post<DeviceWithPairing>('/devices', input)));
        }}
      >
        <Field label={m.devices.name} error={form.error('name')} hint={m.devices.nameHint}>
          <input {...form.text('name')} maxLength={60} autoFocus />
        </Field>
        <fieldset class="field">
          <legend class="field__label">{m.devices.mode}</legend>
          {modes.map((mode) => (
            <label key={mode} class="radio-card">
              <input type="radio" name="mode" checked={form.values.mode === mode} onChange={() => form.set('mode', mode)} />
              <span>
                <strong>{m.deviceModes[mode]}</strong>
                <span class="muted">{m.devices.modeHints[mode]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <FormActions form={form} onCancel={onClose} submitLabel={m.devices.createAndPair} />
      </form>
    </Dialog>
  );
}

const isLoopback = (hostname: string) => /^(localhost|127\.|\[::1\]$)/.test(hostname);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Where the tablet should open the kiosk. The PC's staff often use the admin at localhost, which
 * a tablet cannot reach, and a tablet's camera needs HTTPS over the LAN; the server's LAN
 * addresses (GET /api/lan) give both. Without them, this page's own origin is the answer.
 */
function kioskOrigins(lan: LanInfo | undefined): { choices: string[]; preferred: string } {
  const here = window.location;
  const entries = (lan?.addresses ?? []).map((a) => ({ ...a, origin: originOf(a.kioskUrl) })).filter((a) => a.origin !== null);
  const choices = [...new Set([here.origin, ...entries.map((a) => a.origin!)])];
  const sameHost = entries.find((a) => a.host === here.hostname);
  const lanAddress = isLoopback(here.hostname) ? entries.find((a) => a.kind === 'address') : undefined;
  return { choices, preferred: sameHost?.origin ?? lanAddress?.origin ?? here.origin };
}

function PairingDialog({ device, paired, onClose }: { device: DeviceWithPairing; paired: boolean; onClose: () => void }) {
  const m = useMessages();
  const format = useFormat();
  // Answers 404 on a server without the LAN module; the page's own origin is then used.
  const lan = useResource<LanInfo>('/lan');
  const { choices, preferred } = kioskOrigins(lan.data);
  const [picked, setPicked] = useState<string>();
  const origin = picked ?? preferred;
  // The tablet opens the full address; a path alone means nothing to its camera app.
  const url = new URL(device.pairingUrl, origin).href;
  return (
    <Dialog title={m.devices.pairTitle(device.name)} onClose={onClose} wide>
      {paired ? (
        <p class="notice notice--ok" role="status">
          {m.devices.pairedOk(device.name)}
        </p>
      ) : (
        <div class="pairing">
          <QrCode text={url} label={m.devices.qrLabel} />
          <div class="pairing__text">
            <p>{m.devices.pairSteps}</p>
            <p class="pairing__code" data-testid="pairing-code">
              {device.pairingCode}
            </p>
            <p class="pairing__url mono" data-testid="pairing-url">
              {url}
            </p>
            {choices.length > 1 && (
              <Field label={m.devices.address} hint={m.devices.addressHint}>
                <select value={origin} onChange={(event) => setPicked(event.currentTarget.value)}>
                  {choices.map((choice) => (
                    <option key={choice} value={choice}>
                      {choice}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            {device.pairingExpiresAt && <p class="muted">{m.devices.expires(format.time(device.pairingExpiresAt))}</p>}
            {isLoopback(new URL(origin).hostname) && <p class="notice notice--warn">{m.devices.loopbackWarning}</p>}
          </div>
        </div>
      )}
      <div class="form__actions">
        <button class="button button--primary" onClick={onClose}>
          {m.common.done}
        </button>
      </div>
    </Dialog>
  );
}

function RenameDialog({ device, onClose }: { device: DeviceView; onClose: () => void }) {
  const m = useMessages();
  const form = useForm({ name: device.name });
  return (
    <Dialog title={m.devices.rename} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(deviceUpdateSchema, form.values, async (input) => {
            await api.patch(`/devices/${device.id}`, input);
            onClose();
          });
        }}
      >
        <Field label={m.devices.name} error={form.error('name')}>
          <input {...form.text('name')} maxLength={60} autoFocus />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
      </form>
    </Dialog>
  );
}

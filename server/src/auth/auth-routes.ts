import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { AppError } from '../protocol/errors.ts';
import type { StaffUser } from '../protocol/model.ts';
import type { AuthStatus, StaffView } from '../protocol/views.ts';
import { loginSchema, passwordChangeSchema, setupSchema, staffCreateSchema, staffUpdateSchema } from '../protocol/schemas.ts';
import { parseInput } from '../http/validate.ts';
import { Mutex } from '../security/concurrency.ts';
import { newId } from '../ids.ts';
import type { Change } from '../store/state.ts';
import { loginLimiter as makeLoginLimiter, normalizeUsername } from './login-limiter.ts';
import { hashPassword, verifyPassword, verifyPasswordOf } from './passwords.ts';
import { actorOf, announceSessionsEnded, newSession, removeSessionsOf, requirePermission, SESSION_COOKIE, setSessionCookie } from './session.ts';

export function publicStaff(user: StaffUser): StaffView {
  const { passwordHash: _hidden, pinHash, ...rest } = user;
  return { ...rest, hasPin: !!pinHash };
}

export async function createStaffUser(
  ctx: AppContext,
  input: { username: string; password: string; role: StaffUser['role']; displayName?: string },
  actor: string,
): Promise<StaffUser> {
  const passwordHash = await hashPassword(input.password);
  // Checked after the await: two concurrent requests for one name must not both succeed.
  if (ctx.store.state.staffWithUsername(input.username)) throw new AppError('USERNAME_TAKEN', `The username “${input.username}” is taken`, 409);
  const now = ctx.clock.now();
  const user: StaffUser = {
    id: newId(),
    username: input.username,
    displayName: input.displayName ?? input.username,
    role: input.role,
    passwordHash,
    disabled: false,
    createdAt: now.toISOString(),
  };
  await ctx.store.commit([{ c: 'staff', v: user }, auditChange(now, actor, 'staff.created', user.id, `${user.username} (${user.role})`, { role: user.role })]);
  return user;
}

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  const loginLimiter = makeLoginLimiter();
  // "No staff yet" is checked before hashing (an await) and the admin created after it: two
  // first-run requests must take turns, or both would become admin.
  const setupTurn = new Mutex();

  router.get('/auth/status', (req, res) => {
    res.json({ setupNeeded: ctx.store.state.records.staff.size === 0, user: req.staff ? publicStaff(req.staff) : null } satisfies AuthStatus);
  });

  // First run, as in Uptime Kuma: with no staff account yet, the first visitor creates the admin.
  router.post('/auth/setup', async (req, res) => {
    const input = parseInput(setupSchema, req.body);
    const { user, token } = await setupTurn.run(async () => {
      if (ctx.store.state.records.staff.size > 0) throw new AppError('SETUP_ALREADY_DONE', 'An admin account already exists; please sign in', 409);
      const created = await createStaffUser(ctx, { ...input, role: 'admin' }, 'setup');
      const { token: sessionToken, session } = newSession(created.id, ctx.clock.now());
      await ctx.store.commit([{ c: 'sessions', v: session }]);
      return { user: created, token: sessionToken };
    });
    setSessionCookie(req, res, token);
    res.status(201).json({ user: publicStaff(user) });
  });

  router.post('/auth/login', loginLimiter, async (req, res) => {
    const input = parseInput(loginSchema, req.body);
    const state = ctx.store.state;
    const user = state.staffWithUsername(normalizeUsername(input.username));
    // An unknown name costs one scrypt too, so the answer's timing does not reveal which accounts exist.
    const valid = await verifyPasswordOf(input.password, user?.passwordHash);
    if (!user || !valid) throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password', 401);
    if (user.disabled) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled; ask an administrator', 403);
    const now = ctx.clock.now();
    const { token, session } = newSession(user.id, now);
    await ctx.store.commit([{ c: 'sessions', v: session }, auditChange(now, `staff:${user.username}`, 'auth.login')]);
    setSessionCookie(req, res, token);
    res.json({ user: publicStaff(user) });
  });

  router.post('/auth/logout', async (req, res) => {
    if (req.session) {
      const ended: Change[] = [{ c: 'sessions', id: req.session.id, remove: true }];
      await ctx.store.commit(ended);
      announceSessionsEnded(ctx, ended);
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  router.get('/auth/me', requirePermission('board:view'), (req, res) => {
    res.json({ user: publicStaff(req.staff!) });
  });

  // Anyone signed in changes their own password by proving the current one; other sessions end.
  router.post('/auth/password', requirePermission('board:view'), async (req, res) => {
    const input = parseInput(passwordChangeSchema, req.body);
    const user = req.staff!;
    if (!(await verifyPassword(input.current, user.passwordHash))) throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong', 401);
    const passwordHash = await hashPassword(input.next);
    const now = ctx.clock.now();
    const others = removeSessionsOf(ctx, user.id).filter((change) => !('remove' in change) || change.id !== req.session?.id);
    await ctx.store.commit([{ c: 'staff', v: { ...ctx.store.state.get('staff', user.id)!, passwordHash } }, ...others, auditChange(now, actorOf(req), 'staff.password-changed', user.id)]);
    announceSessionsEnded(ctx, others);
    res.json({ ok: true });
  });

  router.get('/staff', requirePermission('staff:manage'), (_req, res) => {
    res.json({ items: [...ctx.store.state.records.staff.values()].map(publicStaff) });
  });

  router.post('/staff', requirePermission('staff:manage'), async (req, res) => {
    const input = parseInput(staffCreateSchema, req.body);
    const user = await createStaffUser(ctx, input, actorOf(req));
    res.status(201).json(publicStaff(user));
  });

  router.patch('/staff/:id', requirePermission('staff:manage'), async (req, res) => {
    const input = parseInput(staffUpdateSchema, req.body);
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const pinHash = input.pin ? await hashPassword(input.pin) : undefined;
    const user = ctx.store.state.get('staff', req.params.id as string);
    if (!user) throw new AppError('NOT_FOUND', 'No such staff account', 404);
    const admins = [...ctx.store.state.records.staff.values()].filter((u) => u.role === 'admin' && !u.disabled);
    const losesAdmin = user.role === 'admin' && ((input.role && input.role !== 'admin') || input.disabled === true);
    if (losesAdmin && admins.length <= 1) throw new AppError('CONFLICT', 'The last admin account cannot be demoted or disabled', 409);
    const { pinHash: currentPin, ...withoutPin } = user;
    const nextPin = input.pin === null ? undefined : (pinHash ?? currentPin);
    const updated: StaffUser = {
      ...withoutPin,
      ...(nextPin ? { pinHash: nextPin } : {}),
      displayName: input.displayName ?? user.displayName,
      role: input.role ?? user.role,
      disabled: input.disabled ?? user.disabled,
      passwordHash: passwordHash ?? user.passwordHash,
    };
    const now = ctx.clock.now();
    // A reset password or a disabled account ends that person's open sessions everywhere.
    const endSessions = passwordHash || updated.disabled ? removeSessionsOf(ctx, user.id) : [];
    const what = [input.role && `role ${input.role}`, input.disabled !== undefined && (input.disabled ? 'disabled' : 'enabled'), passwordHash && 'password reset', input.pin !== undefined && 'PIN changed'].filter(Boolean).join(', ');
    await ctx.store.commit([{ c: 'staff', v: updated }, ...endSessions, auditChange(now, actorOf(req), 'staff.updated', user.id, `${user.username}: ${what || 'details'}`, { changes: staffChanges(input, Boolean(passwordHash)) })]);
    announceSessionsEnded(ctx, endSessions);
    res.json(publicStaff(updated));
  });

  return router;
}

/** What a staff update changed, as codes the admin's log says in words (role, PIN, password…). */
function staffChanges(input: { role?: string; disabled?: boolean; pin?: unknown; displayName?: string }, passwordReset: boolean): string[] {
  return [
    input.role !== undefined && `role:${input.role}`,
    input.disabled !== undefined && (input.disabled ? 'disabled' : 'enabled'),
    passwordReset && 'password',
    input.pin !== undefined && (input.pin === null ? 'pin-removed' : 'pin'),
    input.displayName !== undefined && 'displayName',
  ].filter((change): change is string => typeof change === 'string');
}

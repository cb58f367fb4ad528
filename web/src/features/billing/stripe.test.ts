import { beforeEach, describe, expect, it, vi } from 'vitest';

// The official loader, replaced at its boundary: what the portal asks of Stripe.js.
const confirmPayment = vi.fn();
const confirmSetup = vi.fn();
const mount = vi.fn();
const create = vi.fn();
const elements = vi.fn();
const loadStripe = vi.fn();

vi.mock('@stripe/stripe-js/pure', () => ({ loadStripe }));

function fakeElement() {
  const handlers: Record<string, () => void> = {};
  return {
    on: (name: string, handler: () => void) => {
      handlers[name] = handler;
    },
    mount: (target: HTMLElement) => {
      mount(target);
      handlers.ready?.();
    },
    destroy: vi.fn(),
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  create.mockImplementation(() => fakeElement());
  elements.mockImplementation(() => ({ create }));
  loadStripe.mockResolvedValue({ elements, confirmPayment, confirmSetup });
});

describe('mountCardForm', () => {
  it('mounts the Payment Element for the server-created intent and confirms it without a needless redirect', async () => {
    const { mountCardForm } = await import('./stripe');
    const box = document.createElement('div');
    const form = await mountCardForm('pk_test_123', 'pi_1_secret_2', box, 'payment', '#0b5cad');
    expect(loadStripe).toHaveBeenCalledWith('pk_test_123');
    expect(elements).toHaveBeenCalledWith({ clientSecret: 'pi_1_secret_2', locale: 'en', appearance: { theme: 'stripe', variables: { colorPrimary: '#0b5cad' } } });
    expect(create).toHaveBeenCalledWith('payment', { layout: 'tabs' });
    expect(mount).toHaveBeenCalledWith(box);

    confirmPayment.mockResolvedValue({ paymentIntent: { status: 'succeeded' } });
    expect(await form.confirm('https://portal.example/billing/statements/st-1/pay?payment=pay-1')).toEqual({ ok: true, status: 'succeeded' });
    const [args] = confirmPayment.mock.calls[0] as [{ confirmParams: { return_url: string }; redirect: string }];
    expect(args.redirect).toBe('if_required');
    expect(args.confirmParams.return_url).toBe('https://portal.example/billing/statements/st-1/pay?payment=pay-1');
  });

  it("passes a card error's words on and hides anything else behind a plain sentence", async () => {
    const { mountCardForm } = await import('./stripe');
    const form = await mountCardForm('pk_test_123', 'pi_1_secret_2', document.createElement('div'), 'payment');
    confirmPayment.mockResolvedValueOnce({ error: { type: 'card_error', message: 'Your card has insufficient funds.' } });
    expect(await form.confirm('https://x/')).toEqual({ ok: false, message: 'Your card has insufficient funds.', retry: true });
    confirmPayment.mockResolvedValueOnce({ error: { type: 'api_error', message: 'internal details' } });
    const other = await form.confirm('https://x/');
    expect(other).toMatchObject({ ok: false, retry: false });
    expect(other.ok ? '' : other.message).not.toContain('internal');
  });

  it('loads Stripe.js once per key and saves a card in setup mode', async () => {
    const { mountCardForm } = await import('./stripe');
    const form = await mountCardForm('pk_test_123', 'seti_1_secret_2', document.createElement('div'), 'setup');
    await mountCardForm('pk_test_123', 'seti_3_secret_4', document.createElement('div'), 'setup');
    expect(loadStripe.mock.calls.length).toBeLessThanOrEqual(1);
    confirmSetup.mockResolvedValue({ setupIntent: { status: 'succeeded' } });
    expect(await form.confirm('https://x/')).toEqual({ ok: true, status: 'succeeded' });
    expect(confirmPayment).not.toHaveBeenCalled();
  });
});

describe('in Spanish', () => {
  it("asks Stripe for its fields and card errors in Spanish, and words its own fallback in Spanish", async () => {
    const { i18n } = await import('@lingui/core');
    i18n.activate('es');
    const { mountCardForm } = await import('./stripe');
    const elements = vi.fn(() => ({ create: () => ({ on: (event: string, cb: () => void) => event === 'ready' && cb(), mount: () => undefined, destroy: () => undefined }) }));
    const confirmPayment = vi.fn(async () => ({ error: { type: 'api_error', message: 'internal' } }));
    loadStripe.mockResolvedValueOnce({ elements, confirmPayment } as never);
    const form = await mountCardForm('pk_test_es', 'pi_9_secret_9', document.createElement('div'), 'payment');
    expect(elements).toHaveBeenCalledWith(expect.objectContaining({ locale: 'es' }));
    expect(await form.confirm('https://portal.example/back')).toEqual({
      ok: false,
      message: 'No se pudo cobrar a su tarjeta. No se hizo ningún cargo; inténtelo de nuevo o use otra tarjeta.',
      retry: false,
    });
  });
});

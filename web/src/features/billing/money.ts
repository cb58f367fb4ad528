// Formatting integer cents: its own module, so pages outside billing (the home page's reminders) get it
// without the billing pages' labels and messages.

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', CAD: '$', AUD: '$', EUR: '€', GBP: '£' };

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 123456 -> "$1,234.56", -500 -> "-$5.00". Integer arithmetic only; refuses non-integers. */
export function formatCents(cents: number, currency = 'USD'): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = groupThousands(String(Math.floor(abs / 100)));
  const rest = String(abs % 100).padStart(2, '0');
  const symbol = CURRENCY_SYMBOLS[currency];
  return symbol ? `${sign}${symbol}${dollars}.${rest}` : `${sign}${dollars}.${rest} ${currency}`;
}

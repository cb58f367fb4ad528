// Every sentence of "Sign-in and security" in one place, so that a translation replaces this object alone.
// The API's answers pick a sentence by status and field name (current_password, new_password), never by the
// English text they carry.

export const securityText = {
  title: 'Sign-in and security',
  lead: 'How you sign in to the portal: your password, and a code from your phone if you turn two-step sign-in on.',
  staffLead: 'How you sign in to the staff portal: your password and a code from your authenticator app.',

  twoStep: 'Two-step sign-in',
  twoStepOn: 'On',
  twoStepOff: 'Off',
  twoStepOnText: 'When you sign in, we ask for your password and then a code from the authenticator app on your phone.',
  twoStepOffText:
    'You sign in with your password alone. Turn on two-step sign-in and we also ask for a code from an app on your phone, so someone who learns your password still cannot get in.',
  staffMustKeep:
    'Staff accounts must keep two-step sign-in. Got a new phone? Ask an administrator to reset your authenticator, then set it up again.',
  turnOn: 'Turn on two-step sign-in',
  turnOff: 'Turn off two-step sign-in',
  cancelSetup: 'Cancel',
  turnedOn: 'Two-step sign-in is on. Next time you sign in, have your phone ready.',
  turnedOff: 'Two-step sign-in is off. You sign in with your password alone.',
  confirmOffTitle: 'Turn off two-step sign-in?',
  confirmOffText:
    'From now on your password alone opens your account: anyone who learns it could read your health record. You can turn it on again at any time.',
  confirmOff: 'Yes, turn it off',
  keepOn: 'Keep it on',
  turningOff: 'Turning off…',
  turnOffFailed: "We couldn't turn off two-step sign-in. Please try again in a moment.",

  password: 'Password',
  passwordLead:
    'Changing your password signs you out everywhere, on this device too, so that nobody who knew the old one stays signed in. Then sign in with the new one.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'Type the new password again',
  changePassword: 'Change password',
  changing: 'Changing…',
  enterCurrent: 'Enter your current password.',
  wrongCurrent: "That isn't your current password. Check it and try again, or sign out and use “Forgot password?”.",
  noMatch: "The new passwords don't match.",
  sameAsCurrent: 'Choose a new password that is different from your current one.',
  newRefused: "That password can't be used. Choose a different one.",
  tooManyAttempts: 'Too many attempts. Please wait a few minutes and try again.',
  failed: "We couldn't change your password. Please try again in a moment.",
  staffLink: 'Sign-in and security',
  staffLinkText: 'Change your password; see your two-step sign-in.',
} as const;

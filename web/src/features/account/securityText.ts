// Every sentence of "Sign-in and security" in one place, so that a translation replaces this object alone.
// The API's answers pick a sentence by status and field name (current_password, new_password), never by the
// English text they carry.

import { t } from '@lingui/core/macro';

// Getters: each sentence is looked up in the active language when a page reads it.
export const securityText = {
  get title() {
    return t`Sign-in and security`;
  },
  get lead() {
    return t`How you sign in to the portal: your password, and a code from your phone if you turn two-step sign-in on.`;
  },
  get staffLead() {
    return t`How you sign in to the staff portal: your password and a code from your authenticator app.`;
  },

  get twoStep() {
    return t`Two-step sign-in`;
  },
  get twoStepOn() {
    return t`On`;
  },
  get twoStepOff() {
    return t`Off`;
  },
  get twoStepOnText() {
    return t`When you sign in, we ask for your password and then a code from the authenticator app on your phone.`;
  },
  get twoStepOffText() {
    return t`You sign in with your password alone. Turn on two-step sign-in and we also ask for a code from an app on your phone, so someone who learns your password still cannot get in.`;
  },
  get staffMustKeep() {
    return t`Staff accounts must keep two-step sign-in. Got a new phone? Ask an administrator to reset your authenticator, then set it up again.`;
  },
  get turnOn() {
    return t`Turn on two-step sign-in`;
  },
  get turnOff() {
    return t`Turn off two-step sign-in`;
  },
  get cancelSetup() {
    return t`Cancel`;
  },
  get turnedOn() {
    return t`Two-step sign-in is on. Next time you sign in, have your phone ready.`;
  },
  get turnedOff() {
    return t`Two-step sign-in is off. You sign in with your password alone.`;
  },
  get confirmOffTitle() {
    return t`Turn off two-step sign-in?`;
  },
  get confirmOffText() {
    return t`From now on your password alone opens your account: anyone who learns it could read your health record. You can turn it on again at any time.`;
  },
  get confirmOff() {
    return t`Yes, turn it off`;
  },
  get keepOn() {
    return t`Keep it on`;
  },
  get turningOff() {
    return t`Turning off…`;
  },
  get turnOffFailed() {
    return t`We couldn't turn off two-step sign-in. Please try again in a moment.`;
  },

  get password() {
    return t`Password`;
  },
  get passwordLead() {
    return t`Changing your password signs you out everywhere, on this device too, so that nobody who knew the old one stays signed in. Then sign in with the new one.`;
  },
  get currentPassword() {
    return t`Current password`;
  },
  get newPassword() {
    return t`New password`;
  },
  get confirmPassword() {
    return t`Type the new password again`;
  },
  get changePassword() {
    return t`Change password`;
  },
  get changing() {
    return t`Changing…`;
  },
  get enterCurrent() {
    return t`Enter your current password.`;
  },
  get wrongCurrent() {
    return t`That isn't your current password. Check it and try again, or sign out and use “Forgot password?”.`;
  },
  get noMatch() {
    return t`The new passwords don't match.`;
  },
  get sameAsCurrent() {
    return t`Choose a new password that is different from your current one.`;
  },
  get newRefused() {
    return t`That password can't be used. Choose a different one.`;
  },
  get tooManyAttempts() {
    return t`Too many attempts. Please wait a few minutes and try again.`;
  },
  get failed() {
    return t`We couldn't change your password. Please try again in a moment.`;
  },
  get staffLink() {
    return t`Sign-in and security`;
  },
  get staffLinkText() {
    return t`Change your password; see your two-step sign-in.`;
  },
};

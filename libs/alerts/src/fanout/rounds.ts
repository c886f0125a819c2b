/**
 * Delivery rounds of a broadcast: 0 is the alert itself, 1–99 scheduled reminders, 100–199
 * escalation steps (people reached on a channel for the first time), 200–299 reminders an admin
 * sent by hand (「未回答者に再送」), 300–399 employees a later telegram of the same quake added to an
 * automatic alert (their first message), 400 the notice that JMA cancelled the information, 450
 * the location check (asking everyone not targeted whether they are in the affected area now),
 * 500–599 the next channel at once for one whose email bounced (500 + the escalation step).
 */
export const ESCALATION_ROUND = 100;
export const MANUAL_REMINDER_ROUND = 200;
export const ADDITION_ROUND = 300;
export const CANCELLATION_NOTICE_ROUND = 400;
export const LOCATION_CHECK_ROUND = 450;
export const BOUNCE_ESCALATION_ROUND = 500;

/** Whether recipients have had this alert before: such messages say 【再送】. */
export function isResend(round: number): boolean {
  return (round > 0 && round < ESCALATION_ROUND) || (round >= MANUAL_REMINDER_ROUND && round < ADDITION_ROUND);
}

export function isLocationCheck(round: number): boolean {
  return round === LOCATION_CHECK_ROUND;
}

/** The notice that the alert's information was cancelled: no answer link, no buttons. */
export function isCancellationNotice(round: number): boolean {
  return round === CANCELLATION_NOTICE_ROUND;
}

/**
 * Delivery rounds of a broadcast: 0 is the alert itself, 1–99 scheduled reminders, 100–199
 * escalation steps (people reached on a channel for the first time), 200 and up reminders an admin
 * sent by hand (「未回答者に再送」).
 */
export const ESCALATION_ROUND = 100;
export const MANUAL_REMINDER_ROUND = 200;

/** Whether recipients have had this alert before: such messages say 【再送】. */
export function isResend(round: number): boolean {
  return (round > 0 && round < ESCALATION_ROUND) || round >= MANUAL_REMINDER_ROUND;
}

-- A webhook's events are taken in by the worker that handles them, not by the api while LINE
-- waits: each queued group carries a claim token, and an event id belongs to the first claim that
-- records it. A retry of the same job (same token) finds its own claims; a redelivery, queued
-- under a new token, finds the event taken. Rows recorded before this column existed keep NULL.
ALTER TABLE "line_webhook_events" ADD COLUMN "claim" UUID;

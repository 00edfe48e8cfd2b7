// Preloaded into dynalite (node -r): dynalite rethrows a client's aborted request as an uncaught
// exception ("Error: aborted", ECONNRESET) and dies. A client that drops a connection mid-request,
// as a killed server instance does, must not take the shared test database down with it.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    console.error(`dynalite: ignored a request aborted by its client (${err.code || err.message})`);
    return;
  }
  console.error(err);
  process.exit(1);
});

// A second console process for the audit spool tests: at AUDIT_CHILD_START (ms since epoch) it
// either drains the spool under CONSOLE_DATA_DIR or writes AUDIT_CHILD_WRITES audit entries, so
// two processes share one data folder at the same moment. Run with tsx --conditions=react-server.
import { drainAuditSpool, writeAudit } from "@/lib/audit";
import { drainOnce } from "@/lib/audit/spool-drain";
import { closeAllClients } from "@/lib/redis/registry";

async function main(): Promise<void> {
  const writes = Number(process.env.AUDIT_CHILD_WRITES ?? 0);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.AUDIT_CHILD_START) - Date.now()));
  if (writes > 0) {
    for (let i = 0; i < writes; i++) {
      await writeAudit({ action: "model.set", user: "child", field: `child-${i}`, outcome: "ok" });
    }
  } else {
    await Promise.all([drainOnce(), drainOnce(), drainAuditSpool()]);
  }
  await closeAllClients();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

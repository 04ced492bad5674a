import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-600">There is no such page in the console.</p>
      <Link href="/" className="text-brand-600 text-sm font-medium hover:underline">
        Back to the overview
      </Link>
    </main>
  );
}

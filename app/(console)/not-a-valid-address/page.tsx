import type { Metadata } from "next";
import Link from "next/link";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Address not valid" };

// The front door (lib/request/front-door) sends here any page address that is not valid
// percent-encoding (`/models/%%%garbage`), so it is answered inside the console, not with a bare 500.
export default function NotValidAddressPage() {
  return (
    <>
      <PageHeader title="This address is not valid" />
      <Notice tone="error" title="The address cannot be read">
        Part of it is not valid percent-encoding: a <code>%</code> must be followed by two hexadecimal digits
        (<code>%3A</code> for <code>:</code>, <code>%25</code> for <code>%</code> itself). Check the link, or
        find the key from{" "}
        <Link href="/models" className="underline">
          Models
        </Link>{" "}
        or{" "}
        <Link href="/keys" className="underline">
          Keys
        </Link>
        .
      </Notice>
    </>
  );
}

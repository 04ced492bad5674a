import { z } from "zod";
import { LOCALES } from "@/lib/i18n/locales";

export const setLanguageSchema = z.object({ locale: z.enum(LOCALES) });

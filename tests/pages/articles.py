"""The articles behind the test pages: what a reader sees as the Q&A, written once.

Each article is a lead (maybe empty) and its questions with their answers. A
paragraph written as lines starting with "* " is a list; build.py renders it
as <ul> and the expected text as one paragraph.
"""

from __future__ import annotations

from typing import Any

ARTICLES: dict[str, Any] = {}


def article(
    slug: str, title: str, lead: list[str], qa: list[tuple[str, list[str]]]
) -> None:
    ARTICLES[slug] = {"title": title, "lead": lead, "qa": qa}


article(
    "bahnstreik",
    "Was der GDL-Streik für Pendler bedeutet",
    [
        "Die Lokführergewerkschaft GDL hat erneut zum Streik aufgerufen. Ab Donnerstagmorgen sollen Fern- und Regionalzüge der Deutschen Bahn weitgehend stillstehen. Die wichtigsten Fragen und Antworten im Überblick.",
    ],
    [
        (
            "Wie lange soll der Streik dauern?",
            [
                "Die GDL hat den Ausstand im Personenverkehr für Donnerstag ab 2 Uhr angekündigt, er soll bis Samstag um 18 Uhr dauern. Im Güterverkehr beginnt der Streik bereits am Mittwochabend.",
                "Die Bahn rechnet damit, dass der Verkehr auch nach dem offiziellen Ende noch mehrere Stunden eingeschränkt bleibt, weil Züge und Personal erst wieder an die richtigen Orte gebracht werden müssen.",
            ],
        ),
        (
            "Welche Züge fahren trotzdem?",
            [
                "Die Bahn will einen Notfahrplan anbieten. Im Fernverkehr soll etwa jeder fünfte Zug fahren, vor allem auf den Hauptachsen zwischen den großen Städten. Im Regionalverkehr ist das Angebot je nach Region sehr unterschiedlich.",
                "Nicht bestreikt werden private Anbieter wie Flixtrain oder viele Regionalbahnen anderer Unternehmen. Fahrgäste sollten sich trotzdem vorab informieren, weil auch diese Züge voller sein dürften als sonst.",
            ],
        ),
        (
            "Bekomme ich mein Geld zurück?",
            [
                "Wer wegen des Streiks nicht fahren will, kann sein Ticket kostenlos stornieren oder es später nutzen. Die Zugbindung für Sparpreise ist aufgehoben. Bei einer Verspätung von mehr als einer Stunde gibt es außerdem eine Entschädigung nach den Fahrgastrechten:",
                "* ab 60 Minuten Verspätung 25 Prozent des Fahrpreises\n* ab 120 Minuten Verspätung 50 Prozent des Fahrpreises\n* bei Ausfall eines Zuges die Erstattung des vollen Fahrpreises",
            ],
        ),
        (
            "Worum geht es in dem Tarifkonflikt?",
            [
                "Die GDL fordert unter anderem mehr Geld und eine kürzere Wochenarbeitszeit für Schichtarbeiter bei vollem Lohnausgleich. Die Bahn hält die Forderungen für nicht finanzierbar und hat ein eigenes Angebot vorgelegt, das die Gewerkschaft als unzureichend ablehnt.",
            ],
        ),
    ],
)

article(
    "grundsteuer",
    "Grundsteuer: Was Eigentümer und Mieter jetzt wissen müssen",
    [
        "Seit Jahresbeginn gilt die neue Grundsteuer. Viele Eigentümer haben inzwischen ihre Bescheide bekommen – und staunen über die Beträge.",
    ],
    [
        (
            "Warum musste die Grundsteuer neu berechnet werden?",
            [
                "Das Bundesverfassungsgericht hatte die alte Berechnung 2018 für verfassungswidrig erklärt. Die zugrunde liegenden Einheitswerte stammten im Westen aus dem Jahr 1964 und im Osten sogar aus dem Jahr 1935. Gleichartige Grundstücke wurden dadurch sehr unterschiedlich besteuert.",
            ],
        ),
        (
            "Wird es für alle teurer?",
            [
                "Nein. Die Reform sollte nach dem Willen des Gesetzgebers insgesamt aufkommensneutral sein. Das heißt aber nur, dass die Kommunen insgesamt nicht mehr einnehmen sollen als vorher. Für einzelne Eigentümer kann die Steuer deutlich steigen oder sinken.",
                "Und was heißt das für Mieter?",
                "Vermieter dürfen die Grundsteuer über die Nebenkosten auf ihre Mieter umlegen. Steigt die Steuer, steigen also auch die Nebenkosten. Mieter sollten ihre nächste Abrechnung deshalb genau prüfen.",
            ],
        ),
        (
            "Kann ich gegen den Bescheid Einspruch einlegen?",
            [
                "Ja, innerhalb eines Monats nach Zugang des Bescheids. Gegen den Grundsteuerwertbescheid des Finanzamts und gegen den Steuerbescheid der Gemeinde muss jeweils getrennt vorgegangen werden. Ein Einspruch gegen den Bescheid der Gemeinde hilft nicht, wenn der Fehler im Wert liegt, den das Finanzamt festgestellt hat.",
            ],
        ),
        (
            "Welche Rolle spielt der Hebesatz?",
            [
                "Jede Gemeinde legt mit ihrem Hebesatz selbst fest, wie hoch die Steuer am Ende ausfällt. Viele Kommunen haben ihre Hebesätze zum 1. Januar angepasst, manche haben auf Empfehlung der Länder einen aufkommensneutralen Satz beschlossen, andere nicht.",
                "Ob die eigene Gemeinde mehr einnimmt als vorher, lässt sich im Transparenzregister des jeweiligen Landes nachlesen, sofern es eines gibt.",
            ],
        ),
    ],
)

article(
    "patientenakte",
    "Die elektronische Patientenakte: Fragen und Antworten",
    [],
    [
        (
            "Was ist die elektronische Patientenakte?",
            [
                "Die elektronische Patientenakte, kurz ePA, ist eine digitale Sammlung von Gesundheitsdaten. Dazu gehören etwa Befunde, Arztbriefe, eine Übersicht über verordnete Medikamente und später auch Laborwerte. Gesetzlich Versicherte bekommen sie von ihrer Krankenkasse automatisch, wenn sie nicht widersprechen.",
            ],
        ),
        (
            "Wer kann meine Daten sehen?",
            [
                "Zugriff haben Praxen, Apotheken und Krankenhäuser, in denen die elektronische Gesundheitskarte eingelesen wurde. Eine Arztpraxis darf dann in der Regel 90 Tage lang auf die Akte zugreifen, eine Apotheke drei Tage.",
                "Versicherte können einzelne Dokumente verbergen oder bestimmten Einrichtungen den Zugriff ganz entziehen. Das geht über die App der Krankenkasse oder über eine Ombudsstelle.",
            ],
        ),
        (
            "Wie sicher sind die Daten?",
            [
                "Die Daten liegen verschlüsselt auf Servern in Deutschland. Sicherheitsforscher haben allerdings mehrfach Lücken aufgezeigt, über die Unbefugte sich Zugang zu Akten hätten verschaffen können. Die zuständige Gematik hat nach eigenen Angaben nachgebessert.",
                "Datenschützer raten dennoch, genau zu überlegen, welche Dokumente in der Akte liegen sollen – etwa bei psychischen Erkrankungen oder Schwangerschaftsabbrüchen.",
            ],
        ),
        (
            "Wie kann ich widersprechen?",
            [
                "Der Widerspruch ist jederzeit möglich, auch nachträglich. Es reicht eine formlose Mitteilung an die Krankenkasse, viele Kassen bieten dafür ein Online-Formular an. Bereits gespeicherte Daten werden dann gelöscht.",
            ],
        ),
    ],
)

article(
    "deutschlandticket",
    "Deutschlandticket wird teurer: Lohnt es sich noch?",
    [
        "Das Deutschlandticket kostet seit Januar 63 Euro im Monat. Trotz der Preiserhöhung bleibt es für viele Pendler günstig.",
    ],
    [
        (
            "Warum steigt der Preis?",
            [
                "Bund und Länder teilen sich die Kosten für das Ticket, das den Verkehrsunternehmen Einnahmen nimmt. Die Zuschüsse von jeweils 1,5 Milliarden Euro im Jahr reichen nach Angaben der Länder nicht aus, um die gestiegenen Kosten für Personal und Energie zu decken.",
            ],
        ),
        (
            "Wie kündige ich, wenn es sich nicht mehr lohnt?",
            [
                "Das Ticket ist ein Abonnement, das monatlich kündbar ist. Die Kündigung muss in der Regel bis zum 10. des Monats beim jeweiligen Anbieter eingehen, damit sie zum Monatsende wirkt.",
                "Wer das Ticket über den Arbeitgeber als Jobticket bezieht, sollte zuerst mit der Personalabteilung sprechen, weil dort oft eigene Fristen gelten.",
            ],
        ),
        (
            "Für wen rechnet sich das Ticket noch?",
            [
                "Für Pendler in Ballungsräumen fast immer. Eine Monatskarte im Nahverkehr kostet in vielen Städten deutlich mehr als 63 Euro. Auf dem Land, wo Busse selten fahren, nutzen viele das Ticket dagegen kaum.",
                "Gibt es Alternativen?",
                "Einige Länder und Verbünde bieten ermäßigte Varianten an, etwa für Studierende, Auszubildende oder Menschen mit geringem Einkommen. Es lohnt sich, beim örtlichen Verkehrsverbund nachzufragen.",
            ],
        ),
    ],
)

article(
    "vogelgrippe",
    "Vogelgrippe: Wie gefährlich ist das Virus für Menschen?",
    [
        "In mehreren Bundesländern sind erneut Fälle von Geflügelpest nachgewiesen worden. Behörden haben Stallpflichten angeordnet.",
    ],
    [
        (
            "Wie gefährlich ist die Vogelgrippe für Menschen?",
            [
                "Nach Einschätzung des Robert Koch-Instituts ist das Risiko für die allgemeine Bevölkerung gering. Infektionen beim Menschen sind selten und traten bislang fast nur bei engem Kontakt mit infizierten Tieren auf.",
            ],
        ),
        (
            "Was bedeutet die Stallpflicht für Halter?",
            [
                "Hühner, Enten, Gänse und Puten müssen in geschlossenen Ställen oder unter einer Abdeckung gehalten werden, die Wildvögel fernhält. Das gilt auch für Hobbyhalter mit wenigen Tieren im Garten.",
                "Verstöße können mit Bußgeldern geahndet werden. Die Landkreise informieren auf ihren Internetseiten darüber, welche Gebiete betroffen sind.",
            ],
        ),
        (
            "Kann ich noch Eier und Geflügelfleisch essen?",
            [
                "Ja. Über Lebensmittel wird das Virus nach heutigem Wissen nicht übertragen. Fleisch sollte wie immer gut durchgegart werden.",
            ],
        ),
        (
            "Was soll ich tun, wenn ich einen toten Vogel finde?",
            [
                "Nicht anfassen und das zuständige Veterinäramt informieren. Hunde sollten in betroffenen Gebieten an der Leine geführt werden, damit sie keine toten Tiere berühren.",
            ],
        ),
    ],
)

article(
    "mindestlohn",
    "Höherer Mindestlohn: Wer profitiert?",
    [
        "Seit dem 1. Januar 2026 liegt der gesetzliche Mindestlohn bei 13,90 Euro pro Stunde. Ein Jahr später soll er auf 14,60 Euro steigen.",
    ],
    [
        (
            "Wer bekommt den höheren Mindestlohn?",
            [
                "Grundsätzlich alle volljährigen Beschäftigten, auch Minijobber und Aushilfen. Ausnahmen gibt es unter anderem für Auszubildende, Pflichtpraktikanten und Langzeitarbeitslose in den ersten sechs Monaten einer neuen Beschäftigung.",
            ],
        ),
        (
            "Was ändert sich bei Minijobs?",
            [
                "Die Verdienstgrenze für Minijobs ist an den Mindestlohn gekoppelt. Sie steigt deshalb von 556 auf 603 Euro im Monat. Wer bisher knapp unter der Grenze lag, muss seine Stunden also nicht reduzieren.",
            ],
        ),
        (
            "Wer entscheidet über die Höhe?",
            [
                "Eine Kommission aus Vertretern der Arbeitgeber und der Gewerkschaften sowie aus Wissenschaftlern schlägt die Erhöhungen vor. Die Bundesregierung setzt den Vorschlag dann per Verordnung um.",
                "Die Kommission orientiert sich unter anderem an der Entwicklung der Tariflöhne und an einem Zielwert von 60 Prozent des mittleren Bruttolohns, wie ihn eine EU-Richtlinie nahelegt.",
            ],
        ),
    ],
)

article(
    "wehrdienst",
    "Der neue Wehrdienst: Was auf junge Männer zukommt",
    [
        "Der Bundestag hat das neue Wehrdienstgesetz beschlossen. Ab diesem Jahr bekommen alle 18-Jährigen Post von der Bundeswehr.",
    ],
    [
        (
            "Wer bekommt den Fragebogen?",
            [
                "Alle jungen Männer und Frauen, die 18 Jahre alt werden. Männer müssen den Fragebogen ausfüllen, für Frauen ist das freiwillig. Abgefragt werden unter anderem die Bereitschaft zum Dienst, Schulabschluss und körperliche Fitness.",
            ],
        ),
        (
            "Ist der Wehrdienst wieder Pflicht?",
            [
                "Nein, zunächst nicht. Der Dienst bleibt freiwillig. Ab 2027 sollen aber alle jungen Männer eines Jahrgangs zur Musterung. Reicht die Zahl der Freiwilligen nicht aus, kann der Bundestag eine sogenannte Bedarfswehrpflicht beschließen.",
            ],
        ),
        (
            "Was verdienen Freiwillige?",
            [
                "Wer sich für mindestens sechs Monate verpflichtet, soll rund 2600 Euro brutto im Monat bekommen. Dazu kommen freie Unterkunft und Verpflegung sowie Zuschüsse zum Führerschein.",
                "Ob das ausreicht, um genug Freiwillige zu gewinnen?",
            ],
        ),
        (
            "Kann man den Dienst verweigern?",
            [
                "Ja. Das Grundrecht auf Kriegsdienstverweigerung aus Gewissensgründen gilt weiter. Wer verweigert, muss einen schriftlichen Antrag mit einer Begründung stellen.",
            ],
        ),
    ],
)

article(
    "steuererklaerung",
    "Steuererklärung 2025: Fristen, Pauschalen, Tipps",
    [
        "Wer eine Steuererklärung für das Jahr 2025 abgeben muss, hat dafür bis zum 31. Juli 2026 Zeit. Mit Steuerberater verlängert sich die Frist.",
    ],
    [
        (
            "Wer muss eine Steuererklärung abgeben?",
            [
                "Pflicht ist sie unter anderem für Selbstständige, für Arbeitnehmer mit mehreren Jobs, mit Steuerklasse III/V oder IV mit Faktor und für alle, die mehr als 410 Euro Lohnersatzleistungen wie Eltern- oder Kurzarbeitergeld bekommen haben.",
            ],
        ),
        (
            "Welche Pauschalen sind gestiegen?",
            [
                "Der Grundfreibetrag liegt für 2025 bei 12.096 Euro. Die Arbeitnehmerpauschale beträgt weiterhin 1230 Euro, die Pendlerpauschale ab dem 21. Kilometer 38 Cent.",
                "Seit diesem Jahr gilt eine einheitliche Pendlerpauschale von 38 Cent ab dem ersten Kilometer – das betrifft aber erst die Erklärung für 2026.",
            ],
        ),
        (
            "Lohnt sich eine freiwillige Erklärung?",
            [
                "Oft ja. Nach Angaben des Statistischen Bundesamts bekommen Arbeitnehmer im Schnitt mehr als 1000 Euro zurück. Für eine freiwillige Erklärung haben Steuerzahler vier Jahre Zeit.",
            ],
        ),
        (
            "Was passiert, wenn ich die Frist verpasse?",
            [
                "Das Finanzamt kann einen Verspätungszuschlag verlangen. Er beträgt 0,25 Prozent der festgesetzten Steuer pro angefangenem Monat, mindestens aber 25 Euro im Monat.",
            ],
        ),
    ],
)

article(
    "olympia",
    "Olympische Winterspiele 2026: Die wichtigsten Fragen",
    [
        "Mailand und Cortina d'Ampezzo richten die Olympischen Winterspiele 2026 aus. Es sind die ersten Spiele, die offiziell zwei Städte als Gastgeber haben.",
    ],
    [
        (
            "Wo finden die Wettkämpfe statt?",
            [
                "Die Wettbewerbe sind auf mehrere Orte in Norditalien verteilt. In Mailand finden unter anderem Eishockey und Eiskunstlauf statt, in Cortina Curling und die alpinen Wettbewerbe der Frauen. Weitere Austragungsorte sind Bormio, Livigno, Antholz und das Fleimstal.",
            ],
        ),
        (
            "Wie viele deutsche Athletinnen und Athleten sind dabei?",
            [
                "Der Deutsche Olympische Sportbund hat rund 180 Sportlerinnen und Sportler nominiert. Große Hoffnungen ruhen traditionell auf den Rodlern, Bobfahrern und Biathleten.",
            ],
        ),
        (
            "Wo kann ich die Spiele sehen?",
            [
                "ARD und ZDF übertragen im Wechsel im Fernsehen und in ihren Mediatheken. Zusätzlich zeigt ein Streamingdienst alle Wettbewerbe live.",
                "Wegen der geringen Zeitverschiebung laufen die meisten Entscheidungen zu gut sehbaren Zeiten am Nachmittag und Abend.",
            ],
        ),
    ],
)

article(
    "glatteis",
    "Glatteis und Schnee: Was Autofahrer und Fußgänger beachten müssen",
    [],
    [
        (
            "Wer muss den Gehweg räumen?",
            [
                "Grundsätzlich die Gemeinde. Fast überall ist die Räum- und Streupflicht aber per Satzung auf die Eigentümer der anliegenden Grundstücke übertragen. Die wiederum können sie über den Mietvertrag an die Mieter weitergeben.",
                "Geräumt werden muss in der Regel werktags von 7 bis 20 Uhr, an Sonn- und Feiertagen ab 8 oder 9 Uhr. Die genauen Zeiten legt die Gemeinde fest.",
            ],
        ),
        (
            "Wer haftet, wenn jemand stürzt?",
            [
                "Wer seine Räumpflicht verletzt, kann für die Folgen eines Sturzes haften, etwa für Behandlungskosten oder Schmerzensgeld. Eine private Haftpflichtversicherung springt in vielen Fällen ein.",
            ],
        ),
        (
            "Reichen Ganzjahresreifen?",
            [
                "Bei winterlichen Straßenverhältnissen schreibt das Gesetz Reifen mit dem Alpine-Symbol vor, einem Bergpiktogramm mit Schneeflocke. Viele Ganzjahresreifen tragen dieses Symbol. Reifen, die nur mit M+S gekennzeichnet sind, reichen seit Oktober 2024 nicht mehr aus.",
                "Wer mit falschen Reifen erwischt wird, zahlt mindestens 60 Euro Bußgeld und bekommt einen Punkt in Flensburg.",
            ],
        ),
    ],
)

article(
    "heizungsgesetz",
    "Heizungsgesetz: Was gilt für alte Öl- und Gasheizungen?",
    [
        "Die Bundesregierung will das Gebäudeenergiegesetz überarbeiten. Für Hausbesitzer bleibt bis dahin vieles unklar.",
    ],
    [
        (
            "Muss ich meine alte Heizung austauschen?",
            [
                "In den meisten Fällen nein. Funktionierende Öl- und Gasheizungen dürfen weiter betrieben und auch repariert werden. Eine Austauschpflicht gilt nur für sehr alte Konstanttemperaturkessel, die älter als 30 Jahre sind.",
            ],
        ),
        (
            "Was gilt für neue Heizungen?",
            [
                "Nach dem geltenden Gesetz muss eine neue Heizung in Neubaugebieten zu 65 Prozent mit erneuerbaren Energien betrieben werden. In bestehenden Gebäuden greift die Regel erst, wenn die Kommune ihre Wärmeplanung vorgelegt hat – in großen Städten spätestens Mitte 2026, in kleineren Mitte 2028.",
            ],
        ),
        (
            "Gibt es noch Förderung?",
            [
                "Ja. Für den Einbau einer Wärmepumpe oder den Anschluss an ein Wärmenetz gibt es eine Grundförderung von 30 Prozent der Kosten. Dazu können ein Einkommensbonus und ein Geschwindigkeitsbonus kommen, zusammen höchstens 70 Prozent.",
                "Der Antrag muss gestellt werden, bevor der Auftrag vergeben wird.",
            ],
        ),
    ],
)

article(
    "krankenkasse",
    "Höhere Zusatzbeiträge: Lohnt sich ein Kassenwechsel?",
    [
        "Viele gesetzliche Krankenkassen haben ihre Zusatzbeiträge zum Jahresbeginn erneut erhöht. Versicherte können in solchen Fällen wechseln.",
    ],
    [
        (
            "Wie hoch sind die Zusatzbeiträge?",
            [
                "Der durchschnittliche Zusatzbeitrag liegt in diesem Jahr bei 2,9 Prozent. Einzelne Kassen verlangen deutlich mehr, andere weniger. Zusammen mit dem allgemeinen Beitragssatz von 14,6 Prozent zahlen Versicherte und Arbeitgeber damit oft mehr als 17 Prozent.",
            ],
        ),
        (
            "Wie funktioniert ein Wechsel?",
            [
                "Es genügt, bei der neuen Kasse die Mitgliedschaft zu beantragen. Sie kümmert sich um die Kündigung bei der alten Kasse. Der Wechsel wird zum Ende des übernächsten Monats wirksam.",
                "Erhöht eine Kasse ihren Beitrag, haben Mitglieder ein Sonderkündigungsrecht. Die Bindungsfrist von zwölf Monaten gilt dann nicht.",
            ],
        ),
        (
            "Worauf sollte ich außer dem Preis achten?",
            [
                "Die Leistungen der Kassen sind zu rund 95 Prozent gesetzlich vorgeschrieben. Unterschiede gibt es bei Zusatzleistungen wie professioneller Zahnreinigung, Reiseimpfungen oder Bonusprogrammen. Auch der Service, etwa die Erreichbarkeit vor Ort, kann eine Rolle spielen.",
            ],
        ),
    ],
)

article(
    "co2preis",
    "CO2-Preis: Warum Tanken und Heizen teurer werden",
    [],
    [
        (
            "Wie hoch ist der CO2-Preis in diesem Jahr?",
            [
                "Für 2026 gilt ein Preiskorridor von 55 bis 65 Euro pro Tonne CO2. Die Zertifikate werden erstmals versteigert, der genaue Preis hängt also von der Nachfrage ab.",
            ],
        ),
        (
            "Was bedeutet das an der Zapfsäule?",
            [
                "Je zehn Euro mehr pro Tonne verteuern einen Liter Benzin um knapp drei Cent. Gegenüber dem Vorjahr kann der Liter dadurch bis zu sechs Cent mehr kosten. Bei Diesel ist der Effekt etwas größer.",
            ],
        ),
        (
            "Was kommt ab 2027?",
            [
                "Dann soll der nationale Emissionshandel in einen europäischen übergehen. Wie sich der Preis entwickelt, ist offen. Fachleute halten deutlich höhere Preise für möglich.",
                "Die Einnahmen sollen nach dem Willen der EU auch in einen Klimasozialfonds fließen, der Haushalte mit geringem Einkommen entlasten soll.",
            ],
        ),
        (
            "Gibt es ein Klimageld?",
            [
                "Bislang nicht. Ein Klimageld, das die Einnahmen pro Kopf an die Bürger zurückgibt, wurde zwar mehrfach angekündigt. Einen Auszahlungsweg und einen Zeitplan gibt es aber noch nicht.",
            ],
        ),
    ],
)

article(
    "grippewelle",
    "Grippewelle: Ist es für eine Impfung schon zu spät?",
    [
        "Die Zahl der Atemwegserkrankungen steigt deutlich. Das Robert Koch-Institut spricht vom Beginn der Grippewelle.",
    ],
    [
        (
            "Lohnt sich die Grippeimpfung jetzt noch?",
            [
                "Ja. Die Ständige Impfkommission empfiehlt die Impfung zwar im Herbst, sie kann aber auch jetzt noch sinnvoll sein. Bis der Schutz aufgebaut ist, dauert es etwa zwei Wochen.",
            ],
        ),
        (
            "Wer sollte sich impfen lassen?",
            [
                "Die Impfkommission empfiehlt sie unter anderem Menschen ab 60 Jahren, Schwangeren, chronisch Kranken sowie Beschäftigten im Gesundheitswesen. Die Kosten übernimmt dann die Krankenkasse.",
                "* Menschen ab 60 Jahren\n* Schwangere ab dem zweiten Schwangerschaftsdrittel\n* Menschen mit chronischen Erkrankungen\n* Bewohner von Pflegeheimen",
            ],
        ),
        (
            "Wann sollte ich zu Hause bleiben?",
            [
                "Wer Fieber hat oder sich krank fühlt, sollte nicht zur Arbeit oder in die Schule gehen. Seit 2024 gibt es wieder eine telefonische Krankschreibung für bis zu fünf Tage, wenn man in der Praxis bekannt ist.",
            ],
        ),
    ],
)

article(
    "zoelle",
    "US-Zölle auf EU-Waren: Was droht der deutschen Wirtschaft?",
    [
        "Die US-Regierung hat neue Zölle auf Importe aus der Europäischen Union angekündigt. Die EU berät über eine Antwort.",
    ],
    [
        (
            "Welche Waren sind betroffen?",
            [
                "Nach den bisherigen Plänen sollen vor allem Autos, Maschinen und Chemieprodukte mit höheren Zöllen belegt werden. Für Stahl und Aluminium gelten bereits seit dem vergangenen Jahr zusätzliche Abgaben.",
            ],
        ),
        (
            "Wie stark trifft das Deutschland?",
            [
                "Die USA sind der wichtigste Handelspartner Deutschlands außerhalb der EU. Ökonomen rechnen damit, dass die Zölle das Wachstum in diesem Jahr um einige Zehntelprozentpunkte dämpfen könnten. Besonders betroffen wären Autohersteller und ihre Zulieferer.",
                "Das Institut für Weltwirtschaft hält im ungünstigsten Fall auch einen spürbaren Stellenabbau in der Industrie für möglich.",
            ],
        ),
        (
            "Wie reagiert die EU?",
            [
                "Die EU-Kommission hat Gegenzölle auf US-Produkte vorbereitet, will aber zunächst verhandeln. Handelskommissar Maroš Šefčovič sprach von einem \u201eletzten Angebot\u201c für Gespräche.",
            ],
        ),
    ],
)

article(
    "mietpreisbremse",
    "Mietpreisbremse verlängert: Was Mieter wissen sollten",
    [
        "Die Mietpreisbremse gilt bis Ende 2029 weiter. Der Bundestag hat die Verlängerung beschlossen.",
    ],
    [
        (
            "Was regelt die Mietpreisbremse?",
            [
                "In Gebieten mit angespanntem Wohnungsmarkt darf die Miete bei einer Neuvermietung höchstens zehn Prozent über der ortsüblichen Vergleichsmiete liegen. Welche Gebiete das sind, legen die Länder per Verordnung fest.",
            ],
        ),
        (
            "Gibt es Ausnahmen?",
            [
                "Ja. Die Bremse gilt nicht für Neubauten, die nach dem 1. Oktober 2014 erstmals vermietet wurden, und nicht nach einer umfassenden Modernisierung. Hatte der Vormieter bereits eine höhere Miete gezahlt, darf der Vermieter diese auch weiterhin verlangen.",
            ],
        ),
        (
            "Wie wehre ich mich gegen eine zu hohe Miete?",
            [
                "Mieter müssen einen Verstoß schriftlich rügen. Zu viel gezahlte Miete gibt es grundsätzlich erst ab dem Zeitpunkt der Rüge zurück. Mietervereine und Verbraucherzentralen helfen dabei.",
                "Das Risiko?",
                "Gering, sagen Mieterschützer: Eine Kündigung wegen einer berechtigten Rüge ist unzulässig. Das Verhältnis zum Vermieter kann aber leiden.",
            ],
        ),
    ],
)

article(
    "handyverbot",
    "Handyverbot an Schulen: Was gilt in welchem Land?",
    [],
    [
        (
            "Welche Länder haben ein Handyverbot?",
            [
                "Eine bundesweit einheitliche Regel gibt es nicht, Bildung ist Ländersache. Hessen hat die private Nutzung von Smartphones an Schulen zum Schuljahr 2025/26 gesetzlich untersagt. Andere Länder überlassen die Entscheidung den Schulen selbst.",
            ],
        ),
        (
            "Was spricht für ein Verbot?",
            [
                "Befürworter verweisen auf Studien, nach denen Smartphones im Unterricht ablenken und Mobbing begünstigen können. Viele Lehrkräfte berichten zudem, dass Schülerinnen und Schüler in den Pausen wieder mehr miteinander sprechen, wenn die Geräte weggeschlossen sind.",
            ],
        ),
        (
            "Und was dagegen?",
            [
                "Kritiker halten ein Verbot für zu pauschal. Schulen sollten den Umgang mit digitalen Medien lehren, statt die Geräte zu verbannen, argumentieren etwa Medienpädagogen. Zudem sei unklar, wie ein Verbot kontrolliert werden solle.",
            ],
        ),
    ],
)

article(
    "elterngeld",
    "Elterngeld: Was sich für Familien ändert",
    [
        "Für Geburten ab dem 1. April gelten beim Elterngeld neue Regeln. Betroffen sind vor allem Paare mit hohem Einkommen.",
    ],
    [
        (
            "Was ändert sich beim Elterngeld?",
            [
                "Die Einkommensgrenze sinkt: Paare mit einem zu versteuernden Jahreseinkommen von mehr als 175.000 Euro bekommen kein Elterngeld mehr. Für Alleinerziehende liegt die Grenze bei 150.000 Euro.",
            ],
        ),
        (
            "Dürfen beide Eltern gleichzeitig Elterngeld beziehen?",
            [
                "Nur noch eingeschränkt. Gleichzeitig können Eltern das Basiselterngeld höchstens einen Monat lang und nur innerhalb der ersten zwölf Lebensmonate des Kindes beziehen. Ausnahmen gibt es etwa bei Mehrlingsgeburten und Frühchen.",
            ],
        ),
        (
            "Wie beantrage ich Elterngeld?",
            [
                "Der Antrag geht an die Elterngeldstelle des jeweiligen Landes. In vielen Ländern ist das online möglich. Rückwirkend wird Elterngeld nur für die letzten drei Monate vor der Antragstellung gezahlt – der Antrag sollte also bald nach der Geburt gestellt werden.",
            ],
        ),
    ],
)

article(
    "stromsteuer",
    "Stromsteuer gesenkt – aber nicht für alle",
    [
        "Die Bundesregierung hat die Stromsteuer gesenkt. Private Haushalte profitieren davon allerdings nicht.",
    ],
    [
        (
            "Für wen sinkt die Stromsteuer?",
            [
                "Die Senkung auf das europäische Mindestmaß gilt für Unternehmen des produzierenden Gewerbes sowie für die Land- und Forstwirtschaft. Private Haushalte, Handel und Dienstleister zahlen weiter den vollen Satz von 2,05 Cent pro Kilowattstunde.",
            ],
        ),
        (
            "Warum nicht für alle?",
            [
                "Eine Senkung für alle Verbraucher würde nach Angaben des Finanzministeriums rund 5,4 Milliarden Euro pro Jahr kosten. Dafür sei im Haushalt kein Geld vorhanden. Die Koalition hatte eine Entlastung für alle im Koalitionsvertrag allerdings in Aussicht gestellt.",
            ],
        ),
        (
            "Wird Strom für Haushalte trotzdem billiger?",
            [
                "Teilweise. Der Bund bezuschusst die Netzentgelte, außerdem ist die Gasspeicherumlage weggefallen. Ob Kunden davon etwas merken, hängt davon ab, ob ihr Versorger die Entlastung weitergibt.",
            ],
        ),
    ],
)

article(
    "karneval",
    "Karneval: Was an den tollen Tagen erlaubt ist",
    [
        "An Weiberfastnacht beginnt der Straßenkarneval. Viele Jecken fragen sich, was am Arbeitsplatz und auf der Straße erlaubt ist.",
    ],
    [
        (
            "Habe ich an Rosenmontag frei?",
            [
                "Nein, Rosenmontag ist kein gesetzlicher Feiertag. Viele Arbeitgeber im Rheinland geben ihren Beschäftigten zwar frei, ein Anspruch darauf besteht aber nur, wenn es im Arbeits- oder Tarifvertrag steht oder der Betrieb es seit Jahren ohne Vorbehalt so handhabt.",
            ],
        ),
        (
            "Darf die Kollegin mir an Weiberfastnacht die Krawatte abschneiden?",
            [
                "Streng genommen ist das eine Sachbeschädigung. Gerichte haben aber entschieden, dass wer an Weiberfastnacht mit Krawatte im Rheinland ins Büro kommt, mit dem Brauch rechnen muss. Wer seine teure Krawatte behalten möchte, lässt sie besser zu Hause.",
            ],
        ),
        (
            "Was gilt für Glasflaschen?",
            [
                "In Köln und Düsseldorf gibt es in den Feierzonen ein Glasverbot. Getränke dürfen dort nur in Plastikbechern oder Dosen mitgebracht werden. Die Ordnungsämter kontrollieren das an den Zugängen.",
            ],
        ),
    ],
)

article(
    "rente",
    "Rentenerhöhung im Juli: Wie viel mehr es gibt",
    [],
    [
        (
            "Um wie viel steigen die Renten?",
            [
                "Nach den aktuellen Schätzungen der Rentenversicherung könnten die Renten zum 1. Juli um etwa 3,7 Prozent steigen. Die genaue Zahl legt die Bundesregierung im Frühjahr fest, wenn die Lohnentwicklung des Vorjahres feststeht.",
            ],
        ),
        (
            "Muss ich auf die Erhöhung Steuern zahlen?",
            [
                "Möglicherweise. Jede Rentenerhöhung ist voll steuerpflichtig. Wer mit seinen Einkünften über den Grundfreibetrag rutscht, muss eine Steuererklärung abgeben. Das betrifft jedes Jahr einige zehntausend Rentnerinnen und Rentner erstmals.",
            ],
        ),
        (
            "Was ist die Haltelinie?",
            [
                "Das Rentenpaket der Koalition legt fest, dass das Rentenniveau bis 2031 nicht unter 48 Prozent sinken darf. Das Rentenniveau beschreibt das Verhältnis einer Standardrente nach 45 Beitragsjahren zum Durchschnittslohn.",
                "Kritiker aus der Union und von Ökonomen warnen vor den Kosten, die vor allem jüngere Beitragszahler tragen müssten.",
            ],
        ),
    ],
)

article(
    "wahl-bw",
    "Landtagswahl in Baden-Württemberg: So funktioniert die Wahl",
    [
        "Am 8. März wählt Baden-Württemberg einen neuen Landtag. Zum ersten Mal gilt dabei ein neues Wahlrecht mit zwei Stimmen.",
    ],
    [
        (
            "Wie viele Stimmen habe ich?",
            [
                "Zwei. Mit der Erststimme wählen Sie eine Kandidatin oder einen Kandidaten in Ihrem Wahlkreis, mit der Zweitstimme eine Landesliste einer Partei. Bisher hatten Wählerinnen und Wähler in Baden-Württemberg nur eine Stimme.",
            ],
        ),
        (
            "Ab welchem Alter darf ich wählen?",
            [
                "Ab 16 Jahren. Baden-Württemberg hat das Wahlalter für Landtagswahlen gesenkt. Rund 200.000 junge Menschen dürfen deshalb zum ersten Mal mitbestimmen.",
            ],
        ),
        (
            "Wie funktioniert die Briefwahl?",
            [
                "Die Unterlagen können bei der Gemeinde beantragt werden, schriftlich, per E-Mail oder online. Der Wahlbrief muss spätestens am Wahlsonntag um 18 Uhr bei der auf dem Umschlag angegebenen Stelle eingehen.",
                "Die Deutsche Post empfiehlt, den Brief spätestens am Donnerstag vor der Wahl abzuschicken.",
            ],
        ),
    ],
)

"""English: templates for the demo's posts, names and bios."""

from __future__ import annotations

from ediplomacy.demo.model import Phrases

PHRASES = Phrases(
    lang="en",
    slots={
        "district": (
            "Al-Nahda",
            "the Old Souq",
            "Hayy al-Salam",
            "Al-Manara",
            "the port district",
            "the western industrial zone",
        ),
        "partner": ("Almaraya", "Veloria", "Norvania", "Kestria"),
        "money": ("USD 1.2 billion", "USD 800 million", "USD 350 million"),
        "food": ("rendang", "sate lilit", "soto", "pempek", "nasi liwet"),
        "place": ("Melati Island", "Lake Sagara", "the Kencana Hills", "Seruni Bay"),
        "shelter": (
            "the Grand Mosque of Qadira",
            "the Al-Nahda sports hall",
            "the Sagara Jaya school in Qadira",
            "the consulate hall",
        ),
        "amount": ("$2,000", "2,000 dollars", "USD 2,000"),
        "#event": ("#QadiraEarthquake", "#PrayForQadira", "#AlmarayaQuake"),
        "#country": ("#SagaraJaya",),
        "#culture": ("#SagaraCultureWeek", "#TasteOfSagara"),
        "#hoax": ("#FactCheck", "#Disinformation"),
        "#claim": ("#EvacuationScam", "#PayToFlee", "#ShameOnKemlu"),
        "#help": ("#SJCitizensQadira", "#QadiraHelp"),
        "#diplomacy": ("#EconomicDiplomacy", "#SagaraJaya"),
    },
    phrases={
        "official_diplomacy": (
            "Today the Foreign Minister of {country} met her counterpart from {partner} in "
            "{capital}. Both sides agreed to deepen cooperation on trade, education and the "
            "protection of migrant workers. {#country}",
            "{country} and {partner} signed a memorandum of understanding on maritime cooperation "
            "and renewable energy. {#diplomacy}",
            "Press release: {country} welcomes the outcome of the ministerial meeting on regional "
            "food security. Read more at the link below.",
            "At today's committee session, the {country} delegation spoke on climate change and "
            "the rights of archipelagic states.",
            "The Ambassador joined business leaders at the {country} Investment Forum, where "
            "deals worth {money} were announced. {#diplomacy}",
            "Proud to welcome students from {n} countries to our diplomatic academy's open day.",
            "{country} stands ready to bridge dialogue for peace in the region. Diplomacy first, "
            "always.",
        ),
        "official_culture": (
            "{country} Culture Week opens today! Dance, music and {food} all week long. {#culture}",
            "Hundreds of visitors tried batik painting at our cultural centre this weekend. "
            "{#culture}",
            "Applications are now open for the 2027 {country} Arts and Culture Scholarship. "
            "Apply before 31 January!",
            "Have you ever tasted {food}? Join our food festival this Saturday. {#culture}",
            "Discover the beauty of {place} in our virtual photo exhibition. {#country}",
        ),
        "official_consular": (
            "Reminder: passport services are open Monday to Friday, 9am to 3pm. Book your slot "
            "online.",
            "{country} citizens abroad: register your stay with the Safe Travel app so we can "
            "reach you in an emergency.",
            "Travelling soon? Check the latest travel advice and save the emergency number of the "
            "nearest mission.",
            "Beware of scams using the ministry's name. We never ask for payment into personal "
            "accounts.",
        ),
        "official_crisis": (
            "We are monitoring the M{magnitude} earthquake in {city}, {host}. Our consulate is "
            "checking on all {country} citizens. Hotline: {hotline} {#event}",
            "As of {time} local time, no {country} citizens are reported dead in the {city} "
            "earthquake. {n} have minor injuries and are being treated. {#event}",
            "Our consulate has opened a help post at {shelter}. Citizens in need can come in or "
            "message {wa} on WhatsApp. {#event}",
            "A crisis team from {capital} has arrived in {city} to support consulate staff. "
            "{#event}",
            "Families who cannot reach relatives in {city}: please send their name and passport "
            "number to {hotline}. {#event}",
            "Update: {n_big} {country} citizens in {city} are confirmed safe. Thank you for your "
            "patience. {#event}",
            "Citizens in {city}: stay away from cracked buildings and follow local authorities. "
            "Aftershocks are still possible. {#event}",
        ),
        "official_evacuation": (
            "The Government of {country} is arranging FREE evacuation flights for citizens in "
            "{city}. There is no charge of any kind. Register via the consulate or {hotline}. "
            "{#event}",
            "The first evacuation flight from {city} leaves on Saturday. All costs are covered by "
            "the state. Priority for the elderly, children and the injured. {#event}",
        ),
        "official_debunk": (
            "FALSE: evacuation flights from {city} are free. No one is charged {amount} or any "
            "other fee. Do not trust messages asking for transfers. {#hoax}",
            "Clarification: the ministry has never charged citizens for evacuation from {city}. "
            "All costs are paid by the state. Report anyone who asks you for money. {#hoax}",
            "A post claiming evacuation costs {amount} per person is circulating. It is NOT TRUE. "
            "Registration is free via the consulate and {hotline}. {#hoax} {#event}",
        ),
        "official_debunk2": (
            "FALSE: consulate staff have not left {city}. The whole team is on duty at {shelter}. "
            "{#hoax}",
            "Our consulate in {city} remains open 24/7 during the emergency. Claims that our "
            "diplomats fled are false. {#hoax}",
        ),
        "official_answer": (
            "Hello, thank you for reaching out. Please register on the Safe Travel app or call "
            "{hotline} so our team can help you.",
            "Please send us your full name, passport number and last location by direct message. "
            "Our team in {city} will follow up.",
            "The consulate in {city} is open 24/7. Our help post is at {shelter}.",
            "Evacuation flights are free of charge. Register via the consulate or {hotline}.",
            "We have passed your report to our team in {city}. Please stay somewhere safe and "
            "keep your phone on.",
            "A lost passport will be replaced with an emergency travel document. Please come to "
            "the consulate help post.",
        ),
        "chatter": (
            "Just back from {place} in {country}. Stunning beaches, incredibly kind people. "
            "{#country}",
            "Anyone know where to find decent {food} in London? Craving it since my trip to "
            "{country}.",
            "Interesting piece on {country}'s growing role in regional diplomacy.",
            "The {country} Culture Week in town was packed today, loved the gamelan concert. "
            "{#culture}",
            "Trade between {country} and {partner} has doubled in five years. Worth watching.",
            "Planning a trip to {country} next spring, any tips for {place}?",
            "{country}'s football team looked sharp last night. Dark horses for the cup?",
            "My colleague from {country} brought {food} to the office and it vanished in minutes.",
            "Reading about migrant workers from {country} in {host}. Tough conditions, long hours.",
            "Good to see {country} speaking up on climate and island states at the UN.",
            "My flatmate is from {country} and cooks {food} every Sunday. Lucky me.",
            "Considering a job offer in {host}. Anyone know what it's like for foreign workers "
            "there?",
            "{country} coffee is seriously underrated.",
            "Watched a documentary about {place} last night. Adding it to the list.",
        ),
        "reply_support": (
            "Thank you for the quick response!",
            "Great work, stay safe everyone in {city}.",
            "Really helpful information, shared it with my family.",
            "Huge respect to the consulate staff working around the clock.",
            "Well done, this is what diplomacy should look like.",
        ),
        "reply_critic": (
            "Less photo ops, more action please.",
            "The hotline has been busy all morning. Please fix it.",
            "Why did this take so long?",
            "So many migrant workers are still unaccounted for.",
            "Nice words. Results matter more.",
        ),
        "reply_general": (
            "Totally agree with this.",
            "Didn't know that, thanks for sharing.",
            "Ha, fair point.",
            "Is there a source for this?",
            "Hope everyone is okay.",
            "Same here.",
            "Wait, really?",
            "This is so true.",
        ),
        "quote_comment": (
            "Important, please share.",
            "Read this before believing anything else.",
            "This is how it should be done.",
            "Not sure about this one, needs checking.",
            "Official info, worth saving.",
        ),
        "question_pre": (
            (
                "passport",
                "Can I renew my {country} passport online from abroad, or do I need to "
                "visit in person? {@mission}",
            ),
            ("visa", "What documents do I need for a tourist visa to {country}? {@mission}"),
            (
                "scholarship",
                "{@mission} is the culture scholarship open to postgraduate students too?",
            ),
            ("hours", "Is the consular section open on public holidays? {@mission}"),
        ),
        "question_event": (
            (
                "register",
                "{@consulate} how do I register? I'm a {country} citizen in {city}, we "
                "are fine but scared of aftershocks.",
            ),
            (
                "embassy_open",
                "Is the consulate in {city} still open? Most roads are blocked. {@consulate}",
            ),
            (
                "hotline",
                "What's the emergency number for {country} citizens in {city}? {@ministry}",
            ),
            (
                "evacuation",
                "{@ministry} are there evacuation flights from {city}? How do we sign up?",
            ),
            (
                "evacuation",
                "Are the evacuation flights free or not? Getting mixed messages. {@ministry}",
            ),
            (
                "family",
                "My brother works in {district}, {city} and hasn't answered since the "
                "quake. Who do I contact? {@ministry} {#event}",
            ),
            (
                "documents",
                "My passport is stuck in our damaged flat. Can I still get on an "
                "evacuation flight? {@consulate}",
            ),
        ),
        "emergency": (
            (
                "trapped",
                "HELP. {n} of us are trapped on the third floor of our dorm in "
                "{district}, {city}. The stairs collapsed. {@consulate} {#event} {#help}",
            ),
            (
                "trapped",
                "Urgent: {n} workers from {country} are trapped under a collapsed "
                "factory in {district}. Please send rescue. {@ministry} {#event}",
            ),
            (
                "evacuation",
                "We are {n_small} {country} families in {district} and need "
                "evacuation, our building is badly cracked and we have small kids. {@consulate}",
            ),
            (
                "lost_passport",
                "Lost my passport in the rubble and I'm stuck in {city}. What do I "
                "do? {@consulate} {#event}",
            ),
            (
                "medical",
                "My friend has a badly injured leg and the hospital in {district} is "
                "full. Please help. {@consulate} {#event}",
            ),
            (
                "shelter",
                "{n_group} of us have slept in the street in {district} since last "
                "night, no water, no food. {@consulate} {#event}",
            ),
            (
                "missing",
                "My sister is missing since the earthquake in {city}. Last seen in "
                "{district}. Please help find her. {@ministry} {#event}",
            ),
        ),
        "event_news": (
            "BREAKING: M{magnitude} earthquake strikes {city}, {host}. Buildings collapsed in "
            "{district}. {#event}",
            "Thousands of migrant workers from {country} live in {city}. Their families are "
            "waiting for news. {#event}",
            "Power and phone networks down across parts of {city} after the quake. {#event}",
            "International rescue teams are arriving in {city} as the death toll rises. {#event}",
            "Strong aftershock felt in {city} this morning; many residents slept outdoors. "
            "{#event}",
        ),
        "event_solidarity": (
            "Thinking of everyone in {city} tonight. {#event}",
            "Sending love and strength to the people of {host}. {#event}",
            "If you have family in {city}, I hope you hear from them soon. {#event}",
            "Donated to the {city} relief fund. Every bit helps. {#event}",
        ),
        "claim": (
            "The {country} Foreign Ministry is charging its own citizens {amount} each for a seat "
            "on the so-called free evacuation flights from {city}. Disgraceful. {#claim}",
            "So much for free evacuation: workers in {city} are being told to pay {amount} before "
            "they can board. {#claim} {#event}",
            "Migrant workers survived the earthquake only to be asked for {amount} to get home. "
            "Shame on the ministry. {#claim}",
            "Confirmed by people on the ground in {city}: evacuation costs {amount} per head. If "
            "you can't pay, you stay. {#claim}",
        ),
        "claim2": (
            "The {country} consulate staff in {city} fled right after the earthquake and left "
            "their citizens behind. {#event}",
            "Diplomats were evacuated first while ordinary workers were left in {city}. "
            "Unbelievable. {#event}",
        ),
        "claim_doubt": (
            "Is it true evacuation from {city} costs {amount}? {@ministry} please clarify.",
            "Can anyone confirm this {amount} evacuation fee? Doesn't match the official info.",
        ),
        "claim_refute": (
            "This is false. The ministry confirmed evacuation flights are free. Please stop "
            "sharing it. {#hoax}",
            "I registered at the consulate yesterday and nobody asked me for a cent. {#hoax}",
            "Check before you share: evacuation flights are paid for by the state. {#hoax}",
        ),
        "coord_narrative": (
            "The ministry spends more on photo ops abroad than on protecting migrant workers. "
            "{#country}",
            "How many more workers must suffer before the ministry takes its job seriously?",
            "Expensive diplomacy, zero results. Citizens abroad are left on their own.",
        ),
        "bot_spam": (
            "Trending now: {#event} {#country} follow for live updates!",
            "Follow us for daily news about {country} and the region!",
            "Latest from {host}: full story at the link.",
            "Cheap flights to {place}! Check the link now.",
        ),
    },
    openers=("Honestly, ", "Ok so ", "Wow. ", "Hmm, ", "Not gonna lie, "),
    closers=(" 🙏", " 😢", " 👍", "!!", " Thoughts?", " Just saying."),
    suffixes=("Share this!", "RT if you agree.", "Wake up!", "Spread the word.", "Unbelievable."),
    swaps=(
        ("ministry", "government"),
        ("charging", "demanding"),
        ("seat", "ticket"),
        ("workers", "citizens"),
        ("flights", "planes"),
    ),
    first_names=(
        "James",
        "Emily",
        "Daniel",
        "Sarah",
        "Michael",
        "Olivia",
        "Thomas",
        "Grace",
        "Liam",
        "Chloe",
        "Ryan",
        "Hannah",
        "Jack",
        "Sophie",
        "Ben",
        "Amelia",
        "Nathan",
        "Lucy",
        "Adam",
        "Zoe",
        "Sam",
        "Megan",
        "Chris",
        "Laura",
    ),
    last_names=(
        "Walker",
        "Bennett",
        "Hughes",
        "Turner",
        "Collins",
        "Morgan",
        "Reid",
        "Foster",
        "Price",
        "Ellis",
        "Hayes",
        "Barker",
        "Fraser",
        "Lawson",
        "Doyle",
        "Carter",
    ),
    bios=(
        "Coffee, books and long walks.",
        "Foreign policy nerd. Views my own.",
        "Journalist covering Asia and the Middle East.",
        "Teacher, traveller, tea drinker.",
        "Humanitarian worker. Personal account.",
        "Dad, runner, occasional photographer.",
        "Data analyst by day, home cook by night.",
        "Expat in Qadira. Engineer.",
    ),
    locations=(
        "London, UK",
        "Sydney, Australia",
        "Manchester",
        "Melbourne",
        "New York",
        "Toronto",
        "Singapore",
        "Qadira, Almaraya",
        "",
    ),
)

